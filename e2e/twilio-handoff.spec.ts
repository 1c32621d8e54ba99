// The escalation e2e with Twilio carrying the call: the Twilio stand-in is the caller's side
// (a phone call: signed webhook, TwiML, signed µ-law Media Stream, REST updates, the fork of
// both legs, status callbacks); the agent works in the real agent app in Chromium. The agent
// app picks the Twilio softphone, whose Device cannot reach Twilio from here (no network):
// its audio is what only a real account can show, everything else is exercised.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, expect, test } from '@playwright/test';
import { decodeWav } from '../backend/src/speech/wav';
import { TwilioStandIn, twilioSettings } from '../backend/test/support/twilio-stand-in';
import { ADMIN, BASE_ARGS, adminToken, createUser, signIn } from './support/handled-call';
import { chromiumPath } from '../playwright.config';

/** 16 kHz speech from the system flite (as the fake microphone makes it). */
function speech(text: string): Int16Array {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-twilio-e2e-'));
  execFileSync('flite', ['-voice', 'rms', '-t', text, '-o', join(dir, 'raw.wav')]);
  execFileSync('sox', [join(dir, 'raw.wav'), '-r', '16000', '-c', '1', '-b', '16', join(dir, 'out.wav')]);
  const pcm = decodeWav(readFileSync(join(dir, 'out.wav'))).pcm;
  rmSync(dir, { recursive: true, force: true });
  return pcm;
}

/** A backend with CARRIER=twilio pointed at the stand-in, on an ephemeral port. */
async function startTwilioBackend(restBaseUrl: string): Promise<{ baseUrl: string; stop: () => void; dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-twilio-e2e-data-'));
  const child: ChildProcess = spawn('node', ['--import', 'tsx', 'backend/src/server.ts'], {
    env: { ...process.env, ...twilioSettings(restBaseUrl), PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'warn', ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const baseUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/[^\s]+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`backend exited with ${code}: ${out}`)));
  });
  return { baseUrl, dataDir, stop: () => child.kill('SIGTERM') };
}

test('a phone caller through Twilio reaches a person: conference, brief, live transcript, wrap-up', async ({ request }) => {
  const twilio = new TwilioStandIn();
  await twilio.listen();
  const backend = await startTwilioBackend(twilio.restBaseUrl);
  twilio.attach(backend.baseUrl);
  const baseURL = backend.baseUrl;
  const agentBrowser = await chromium.launch({ executablePath: chromiumPath, args: BASE_ARGS });
  try {
    const token = await adminToken(request, baseURL);
    const erin = await createUser(request, baseURL, token, { name: 'Erin Agent', role: 'agent' });
    const agent = await (await agentBrowser.newContext()).newPage();
    await signIn(agent, baseURL, erin.email, erin.password);
    const status = agent.getByLabel('Your status');
    await expect(status).toBeEnabled({ timeout: 15_000 });
    await status.selectOption('available');

    // A phone call: the AI greets it over the Media Stream; the caller presses 0 for a person.
    const call = await twilio.dial('+15550100077');
    await call.caller.waitForAiAudio(0, 30_000);
    await call.caller.waitForAiIdle(700, 30_000);
    call.caller.dtmf('0');

    // Escalation: the REST update moves the call into the session's conference, forked to us.
    await expect.poll(() => call.conference?.name, { timeout: 45_000 }).toBeTruthy();
    const sessionId = call.conference!.name;
    const accept = agent.getByRole('button', { name: /Accept/ });
    await expect(accept).toBeVisible({ timeout: 45_000 });
    await accept.click();
    await expect.poll(() => twilio.requests.some((r) => r.path.endsWith('/Participants.json') && r.params.To === `client:${erin.id}`), { timeout: 15_000 }).toBe(true);

    // The brief, the AI part of the call, then the caller's words through the fork (suggestions
    // depend on what pocketsphinx makes of 8 kHz speech, and are covered by the local e2e).
    await expect(agent.getByText('Handoff brief')).toBeVisible({ timeout: 10_000 });
    const transcript = agent.getByRole('log').first();
    await expect(transcript).toContainText('automated assistant', { timeout: 10_000 });
    call.fork!.say('inbound', speech('where is my order'));
    call.fork!.say('inbound', new Int16Array(24_000));
    call.fork!.say('inbound', speech('I am asking about my order'));
    // Words from the fork appear as the caller's, live (what exactly pocketsphinx hears in 8 kHz µ-law varies).
    await expect(transcript).toContainText(/connected to an agent.*Caller\s*\w+/s, { timeout: 40_000 });
    // Without a network the Voice SDK cannot reach Twilio: the agent sees why, in plain words.
    await expect(agent.getByRole('alert').first()).toContainText(/softphone/i, { timeout: 15_000 });

    // The agent hangs up: a REST update with <Hangup/>, then wrap-up.
    await agent.getByRole('button', { name: /Hang up/ }).click();
    await expect.poll(() => call.updates.some((u) => 'Hangup' in u), { timeout: 15_000 }).toBe(true);
    const disposition = agent.getByLabel('Disposition');
    await expect(disposition).toBeVisible({ timeout: 15_000 });
    await disposition.selectOption('resolved');
    await expect(agent.getByLabel(/Notes/)).not.toHaveValue('', { timeout: 10_000 });
    await agent.getByRole('button', { name: /Submit/ }).click();
    await expect(disposition).toBeHidden({ timeout: 10_000 });

    const detail = await request.get(`${baseURL}/api/sessions/${sessionId}`, { headers: { authorization: `Bearer ${token}` } });
    const session = (await detail.json()) as { state: string; events: Array<{ type: string; seq: number }> };
    const types = session.events.map((e) => e.type);
    const steps = ['session.started', 'ai.said', 'call.escalated', 'queue.entered', 'offer.sent', 'agent.accepted', 'transcript.final', 'wrapup.started', 'wrapup.submitted', 'session.ended'];
    let at = -1;
    for (const step of steps) {
      const next = types.indexOf(step, at + 1);
      expect(next, `${step} after ${types[at] ?? 'start'}`).toBeGreaterThan(at);
      at = next;
    }
    expect(types).toContain('carrier.status');
    expect(session.state).toBe('ended');
  } finally {
    await agentBrowser.close();
    backend.stop();
    await twilio.close();
    rmSync(backend.dataDir, { recursive: true, force: true });
  }
});
