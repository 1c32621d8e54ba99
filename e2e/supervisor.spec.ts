// Supervision in three browsers: a caller on the call page, an agent in the agent app and a
// lead on the wallboard, each with a fake microphone. The caller's and the agent's and the
// lead's microphones beep at their own frequency, so who hears whom is measured on the audio
// each page actually receives (a Goertzel filter over the media frames of its socket): the
// lead listens and hears both sides; whispers, and the agent hears it while the caller does
// not; barges, and the caller hears it. Each step is on the session's log.
import { chromium, expect, request as apiRequest, test, type Page } from '@playwright/test';
import { chromiumPath } from '../playwright.config';
import { AFTER_GREETING_SECONDS, chromiumMicrophoneArgs, fakeMicrophoneScript } from './fake-microphone';

const BASE_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];
const CALLER_HZ = 440;
const AGENT_HZ = 700;
const LEAD_HZ = 1200;
/** A beep heard through the mix reads in the thousands; an absent one near zero. */
const HEARD = 600;
const ABSENT = 120;

/**
 * Runs in each page before its scripts: every media frame arriving on the page's audio socket
 * (call page, agent leg or monitor leg) is kept, so the test can measure tones in what the
 * page received after a mark.
 */
function tapReceivedAudio(pathPart: string): void {
  // Typed by hand: this file is compiled without the DOM library (it runs in Node too).
  type MessageListener = (e: { data: unknown }) => void;
  type SocketClass = new (url: string | URL, protocols?: string | string[]) => { addEventListener(type: 'message', listener: MessageListener): void };
  const page = globalThis as unknown as {
    WebSocket: SocketClass;
    atob(data: string): string;
    __audioMark?: () => number;
    __toneLevel?: (hz: number, from: number) => number;
  };
  const frames: Int16Array[] = [];
  const Native = page.WebSocket;
  class Tapped extends Native {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      if (String(url).includes(pathPart)) {
        this.addEventListener('message', (e) => {
          if (typeof e.data !== 'string' || !e.data.includes('"media"')) return;
          const frame = JSON.parse(e.data) as { event: string; media?: { payload: string } };
          if (frame.event !== 'media' || !frame.media) return;
          const bin = page.atob(frame.media.payload);
          const pcm = new Int16Array(bin.length >> 1);
          for (let i = 0; i < pcm.length; i++) {
            const v = bin.charCodeAt(2 * i) | (bin.charCodeAt(2 * i + 1) << 8);
            pcm[i] = v >= 0x8000 ? v - 0x10000 : v;
          }
          frames.push(pcm);
        });
      }
    }
  }
  page.WebSocket = Tapped;
  page.__audioMark = () => frames.length;
  // Goertzel over everything received since the mark: the amplitude of one frequency.
  page.__toneLevel = (hz: number, from: number) => {
    const k = (2 * Math.PI * hz) / 16000;
    const coeff = 2 * Math.cos(k);
    let s1 = 0;
    let s2 = 0;
    let n = 0;
    for (const f of frames.slice(from)) {
      for (let i = 0; i < f.length; i++) {
        const s0 = f[i]! + coeff * s1 - s2;
        s2 = s1;
        s1 = s0;
      }
      n += f.length;
    }
    if (n === 0) return 0;
    return (2 * Math.sqrt(Math.max(0, s1 * s1 + s2 * s2 - coeff * s1 * s2))) / n;
  };
}

type AudioProbe = { __audioMark: () => number; __toneLevel: (hz: number, from: number) => number };
const mark = (page: Page) => page.evaluate(() => (globalThis as unknown as AudioProbe).__audioMark());
const level = (page: Page, hz: number, from: number) =>
  page.evaluate(([h, f]) => (globalThis as unknown as AudioProbe).__toneLevel(h!, f!), [hz, from]);
/** Frames received since a mark (20 ms each): enough of them makes a measurement meaningful. */
const framesSince = async (page: Page, from: number) => (await mark(page)) - from;

test('a lead listens, whispers and barges on a live call; the caller never hears the whisper', async ({ baseURL, request }) => {
  test.setTimeout(300_000);
  const admin = await request.post(`${baseURL}/api/auth/login`, { data: { email: 'admin@e2e.test', password: 'e2e-admin-password' } });
  const { token: adminToken } = (await admin.json()) as { token: string };
  const stamp = Date.now();
  const agentEmail = `sup-agent-${stamp}@e2e.test`;
  const leadEmail = `sup-lead-${stamp}@e2e.test`;
  for (const user of [
    { email: agentEmail, name: 'Erin Agent', role: 'agent', password: 'agent-e2e-password', team: `floor-${stamp}`, skills: ['general', 'orders', 'billing'] },
    { email: leadEmail, name: 'Lee Lead', role: 'lead', password: 'lead-e2e-password', team: `floor-${stamp}`, skills: [] },
  ]) {
    const created = await request.post(`${baseURL}/api/users`, { headers: { authorization: `Bearer ${adminToken}` }, data: user });
    expect(created.status()).toBe(201);
  }

  const callerMic = fakeMicrophoneScript([{ silence: AFTER_GREETING_SECONDS }, { say: 'I want to speak to a person please' }, { silence: 8 }, { beeps: CALLER_HZ, seconds: 240 }]);
  const agentMic = fakeMicrophoneScript([{ beeps: AGENT_HZ, seconds: 240 }]);
  const leadMic = fakeMicrophoneScript([{ beeps: LEAD_HZ, seconds: 240 }]);
  const browsers = await Promise.all([callerMic, agentMic, leadMic].map((mic) => chromium.launch({ executablePath: chromiumPath, args: [...BASE_ARGS, ...chromiumMicrophoneArgs(mic)] })));
  const [callerBrowser, agentBrowser, leadBrowser] = browsers as [typeof browsers[number], typeof browsers[number], typeof browsers[number]];
  try {
    const signIn = async (page: Page, email: string, password: string) => {
      await page.goto(`${baseURL}/app/`);
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Sign in' }).click();
    };

    const agent = await (await agentBrowser.newContext({ permissions: ['microphone'] })).newPage();
    await agent.addInitScript(tapReceivedAudio, '/agent/media');
    await signIn(agent, agentEmail, 'agent-e2e-password');
    const status = agent.getByLabel('Your status');
    await expect(status).toBeEnabled({ timeout: 15_000 });
    await status.selectOption('available');

    const lead = await (await leadBrowser.newContext({ permissions: ['microphone'] })).newPage();
    await lead.addInitScript(tapReceivedAudio, '/agent/monitor');
    await signIn(lead, leadEmail, 'lead-e2e-password');
    await lead.getByRole('button', { name: 'Wallboard' }).or(lead.getByRole('tab', { name: 'Wallboard' })).first().click();
    await expect(lead.getByRole('heading', { name: 'Live agent calls' })).toBeVisible({ timeout: 15_000 });

    const caller = await (await callerBrowser.newContext({ permissions: ['microphone'] })).newPage();
    await caller.addInitScript(tapReceivedAudio, '/local/media');
    await caller.goto(`${baseURL}/call`);
    await caller.getByLabel('Your name').fill('Dana Reyes');
    await caller.getByLabel('Your phone number').fill('+15550100031');
    await caller.getByRole('button', { name: 'Call', exact: true }).click();

    const accept = agent.getByRole('button', { name: /Accept/ });
    await expect(accept).toBeVisible({ timeout: 60_000 });
    await accept.click();
    await expect(agent.getByText('Handoff brief')).toBeVisible({ timeout: 10_000 });

    // Listen: the lead hears the caller's and the agent's beeps.
    const listen = lead.getByRole('button', { name: "Listen to Erin Agent's call" });
    await expect(listen).toBeVisible({ timeout: 15_000 });
    await listen.click();
    await expect(lead.getByRole('status', { name: 'Monitor status' })).toContainText('Listening', { timeout: 30_000 });
    // The lead also reads the call so far.
    await expect(lead.getByRole('log', { name: 'Monitored call transcript' })).toContainText(/Caller|AI/, { timeout: 15_000 });
    const leadFrom = await mark(lead);
    await expect.poll(async () => (await framesSince(lead, leadFrom)) > 100 && (await level(lead, CALLER_HZ, leadFrom)) > HEARD, { timeout: 40_000 }).toBe(true);
    await expect.poll(async () => (await level(lead, AGENT_HZ, leadFrom)) > HEARD, { timeout: 20_000 }).toBe(true);

    // Whisper: the agent hears the lead; the caller's audio carries the agent's voice but none of the lead's.
    await lead.getByRole('button', { name: 'Whisper', exact: true }).click();
    await expect(lead.getByRole('status', { name: 'Monitor status' })).toContainText('Whispering', { timeout: 30_000 });
    const agentFrom = await mark(agent);
    const callerFrom = await mark(caller);
    await expect.poll(async () => (await framesSince(agent, agentFrom)) > 100 && (await level(agent, LEAD_HZ, agentFrom)) > HEARD, { timeout: 40_000 }).toBe(true);
    await expect.poll(async () => (await framesSince(caller, callerFrom)) > 150 && (await level(caller, AGENT_HZ, callerFrom)) > HEARD, { timeout: 40_000 }).toBe(true);
    expect(await level(caller, LEAD_HZ, callerFrom)).toBeLessThan(ABSENT);
    await expect(agent.getByRole('log').first()).toContainText('whispering to you', { timeout: 10_000 });

    // Barge: now the caller hears the lead too.
    await lead.getByRole('button', { name: 'Barge', exact: true }).click();
    await expect(lead.getByRole('status', { name: 'Monitor status' })).toContainText('Barged in', { timeout: 30_000 });
    const bargeFrom = await mark(caller);
    await expect.poll(async () => (await framesSince(caller, bargeFrom)) > 100 && (await level(caller, LEAD_HZ, bargeFrom)) > HEARD, { timeout: 40_000 }).toBe(true);

    // Every step is on the session's log, in order.
    const sessionId = await caller.evaluate(() => (globalThis as unknown as { __switchboardCall?: { sessionId: string | null } }).__switchboardCall?.sessionId ?? null);
    expect(sessionId).toBeTruthy();
    // A fresh connection: the fixture's kept-alive one has idled past the server's keep-alive timeout by now.
    const api = await apiRequest.newContext();
    const detail = await api.get(`${baseURL}/api/sessions/${sessionId}`, { headers: { authorization: `Bearer ${adminToken}` } });
    const events = ((await detail.json()) as { events: Array<{ type: string; data: Record<string, unknown> }> }).events;
    const monitorSteps = events.filter((e) => e.type.startsWith('monitor.')).map((e) => (e.type === 'monitor.started' ? `started:${String(e.data.mode)}` : `${String(e.data.from)}→${String(e.data.to)}`));
    expect(monitorSteps).toEqual(['started:listen', 'listen→whisper', 'whisper→barge']);
    await api.dispose();

    // The agent hangs up: monitoring ends with the call.
    await agent.getByRole('button', { name: /Hang up/ }).click();
    await expect(lead.getByRole('status', { name: 'Monitor status' })).toContainText(/call ended/i, { timeout: 15_000 });
  } finally {
    await Promise.all(browsers.map((b) => b.close()));
  }
});
