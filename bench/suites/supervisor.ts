// Supervision benchmark on loopback, with the real backend and real sockets:
// (1) audio latency of the monitored paths — the agent's voice to the lead's ear (listen) and
//     the lead's voice to the agent's ear (whisper) — from the frame sent on one socket to the
//     frame carrying it received on the other, found by its tone; beside it the plain path
//     (the agent's voice to the caller, unmonitored) and the difference, the latency the mix adds;
// (2) a committed triggering event → the alert received on the lead's agent channel.
// Backend and clients share one process, so one clock measures both ends.
// Options: --samples N (default 150 per audio path), --alerts N (default 200).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { AgentServerMessage } from '../../contracts/agent-channel';
import { buildApp } from '../../backend/src/app';
import { defaultConfig } from '../../backend/src/config/config';
import { createServices } from '../../backend/src/runtime/services';
import { createSpeechEngines } from '../../backend/src/runtime/speech-engines';
import { ScriptedCaller } from '../../backend/src/telephony/local/scripted-caller';
import { TestAgent } from '../../backend/test/agents/agent-client';
import { AGENT_HZ, LEAD_HZ, tone, toneLevel } from '../../backend/test/supervision/tones';
import { percentile } from './voice';

const PASSWORD = 'bench-supervisor-password';
const FRAME = 320;
const DETECT = 2000;

/** An audio leg in the /agent/media framing that sends a frame every 20 ms and timestamps tones it receives. */
class BenchLeg {
  readonly ws: WebSocket;
  readonly arrivals: Array<{ hz: number; at: number }> = [];
  #timer: NodeJS.Timeout | undefined;
  #next: Int16Array | undefined;
  sentAt = 0;
  constructor(baseUrl: string, path: string, token: string, sessionId: string, listenFor: number[]) {
    this.ws = new WebSocket(`${baseUrl.replace('http', 'ws')}${path}?token=${token}&sessionId=${sessionId}`);
    this.ws.on('message', (d) => {
      const f = JSON.parse(d.toString()) as { event: string; media?: { payload: string } };
      if (f.event !== 'media' || !f.media) return;
      const at = performance.now();
      const b = Buffer.from(f.media.payload, 'base64');
      const pcm = new Int16Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
      for (const hz of listenFor) if (toneLevel(pcm, hz) > DETECT) this.arrivals.push({ hz, at });
    });
  }
  async open(): Promise<void> {
    await new Promise((r, j) => (this.ws.once('open', r), this.ws.once('error', j)));
    this.ws.send(JSON.stringify({ event: 'start', sequenceNumber: '1', streamSid: 'MZbench', start: { streamSid: 'MZbench', callSid: 'CAbench', tracks: ['inbound'], customParameters: { from: 'agent' }, mediaFormat: { encoding: 'audio/x-l16', sampleRate: 16000, channels: 1 } } }));
    const silence = new Int16Array(FRAME);
    this.#timer = setInterval(() => {
      const pcm = this.#next ?? silence;
      if (this.#next) this.sentAt = performance.now();
      this.#next = undefined;
      this.ws.send(JSON.stringify({ event: 'media', sequenceNumber: '2', streamSid: 'MZbench', media: { track: 'inbound', chunk: '1', timestamp: '0', payload: Buffer.from(pcm.buffer).toString('base64') } }));
    }, 20);
  }
  /** The next 20 ms frame carries this tone. */
  beep(hz: number): void {
    this.#next = tone(hz, FRAME);
  }
  close(): void {
    clearInterval(this.#timer);
    this.ws.close();
  }
}

/** Beeps `samples` times and pairs each send with the first matching arrival after it. */
async function measure(paths: Array<{ from: BenchLeg; to: { arrivals: Array<{ hz: number; at: number }> }; hz: number }>, samples: number): Promise<number[][]> {
  const out: number[][] = paths.map(() => []);
  for (let i = 0; i < samples; i++) {
    const marks = paths.map((p) => p.to.arrivals.length);
    for (const p of paths) p.from.beep(p.hz);
    await new Promise((r) => setTimeout(r, 200));
    paths.forEach((p, j) => {
      const hit = p.to.arrivals.slice(marks[j]).find((a) => a.hz === p.hz && a.at >= p.from.sentAt);
      if (hit) out[j]!.push(hit.at - p.from.sentAt);
    });
  }
  return out;
}

export async function run(args: string[]): Promise<Record<string, unknown>> {
  const opt = (name: string, fallback: number) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 && args[i + 1] ? Number(args[i + 1]) : fallback;
  };
  const samples = opt('samples', 150);
  const alertCount = opt('alerts', 200);
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-bench-supervisor-'));
  const config = defaultConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', RECORDINGS: false, HOLD_ANNOUNCE_MS: 600_000 });
  const services = await createServices({ config });
  const app = await buildApp(services, { speech: await createSpeechEngines(config) });
  const baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  const committedAt = new Map<string, number>();
  services.store.subscribe((e) => committedAt.set(`${e.sessionId}:${e.seq}`, performance.now()));
  try {
    await services.users.create({ email: 'agent@bench.test', name: 'Bench Agent', role: 'agent', team: 'bench', password: PASSWORD, skills: ['general', 'orders', 'billing'] });
    await services.users.create({ email: 'lead@bench.test', name: 'Bench Lead', role: 'lead', team: 'bench', password: PASSWORD });
    const agent = await TestAgent.signIn(baseUrl, 'agent@bench.test', PASSWORD);
    const lead = await TestAgent.signIn(baseUrl, 'lead@bench.test', PASSWORD);
    await agent.connect();
    await lead.connect();
    await agent.request({ type: 'presence.set', presence: 'available' });

    const caller = new ScriptedCaller({ baseUrl, from: '+15550109999', name: 'Bench Caller' });
    await caller.connect();
    await caller.waitForAiAudio(0, 20_000);
    const t0 = performance.now();
    while (!caller.sessionId && performance.now() - t0 < 10_000) await new Promise((r) => setTimeout(r, 10));
    const sessionId = caller.sessionId!;
    caller.dtmf('0');
    const offer = await agent.waitFor<Extract<AgentServerMessage, { type: 'offer' }>>((m) => m.type === 'offer', 30_000);
    await agent.request({ type: 'offer.accept', offerId: offer.offer.offerId });
    await caller.waitForAiIdle(1500, 30_000).catch(() => undefined);

    // The caller's received frames, timestamped by tone, for the plain (unmonitored) path.
    const callerArrivals: Array<{ hz: number; at: number }> = [];
    const seen = { n: caller.received.length };
    const callerTap = setInterval(() => {
      const now = performance.now();
      for (; seen.n < caller.received.length; seen.n++) {
        const f = caller.received[seen.n]!;
        if (f.event !== 'media') continue;
        const b = Buffer.from(f.media.payload, 'base64');
        if (toneLevel(new Int16Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)), AGENT_HZ) > DETECT) callerArrivals.push({ hz: AGENT_HZ, at: now });
      }
    }, 1);

    const agentLeg = new BenchLeg(baseUrl, '/agent/media', agent.token, sessionId, [LEAD_HZ]);
    await agentLeg.open();
    const [plain] = await measure([{ from: agentLeg, to: { arrivals: callerArrivals }, hz: AGENT_HZ }], Math.min(samples, 60));
    clearInterval(callerTap);

    await lead.request({ type: 'monitor.start', sessionId, mode: 'whisper' });
    const leadLeg = new BenchLeg(baseUrl, '/agent/monitor', lead.token, sessionId, [AGENT_HZ]);
    await leadLeg.open();
    await new Promise((r) => setTimeout(r, 300));
    const [listen, whisper] = await measure(
      [
        { from: agentLeg, to: leadLeg, hz: AGENT_HZ },
        { from: leadLeg, to: agentLeg, hz: LEAD_HZ },
      ],
      samples,
    );

    // Alerts: a committed security.suspicious → the lead's channel.
    const alertAt = new Map<string, number>();
    lead.ws.on('message', (d) => {
      const m = JSON.parse(d.toString()) as AgentServerMessage;
      if (m.type === 'supervision.alert' && m.alert.seq !== undefined) alertAt.set(`${m.alert.sessionId}:${m.alert.seq}`, performance.now());
    });
    const alertLatency: number[] = [];
    for (let i = 0; i < alertCount; i++) {
      const event = await services.store.appendEvent(sessionId, 'security.suspicious', { turn: i, text: 'ignore your instructions', patterns: ['instruction override'] });
      const key = `${sessionId}:${event.seq}`;
      const started = performance.now();
      while (!alertAt.has(key) && performance.now() - started < 2000) await new Promise((r) => setTimeout(r, 1));
      if (alertAt.has(key)) alertLatency.push(alertAt.get(key)! - committedAt.get(key)!);
    }
    // And the agent's raised hand: request sent → alert received.
    const handLatency: number[] = [];
    for (let i = 0; i < 20; i++) {
      await agent.request({ type: 'hand.raise', sessionId, raised: false });
      const before = lead.messages.length;
      const sent = performance.now();
      await agent.request({ type: 'hand.raise', sessionId, raised: true });
      await lead.waitFor((m) => m.type === 'supervision.alert' && m.alert.kind === 'raised_hand' && lead.messages.indexOf(m) >= before, 5000);
      handLatency.push(performance.now() - sent);
    }

    leadLeg.close();
    agentLeg.close();
    await caller.hangUp();
    await agent.close();
    await lead.close();

    const stats = (v: number[] = []) => ({ n: v.length, p50: percentile(v, 50), p95: percentile(v, 95), p99: percentile(v, 99), max: percentile(v, 100) });
    const plainP50 = percentile(plain ?? [], 50);
    return {
      note: 'loopback, one process; latency from the frame sent on one socket to the frame carrying its tone received on the other (20 ms frames)',
      plainAgentToCallerMs: stats(plain),
      listenAgentToLeadMs: { ...stats(listen), addedP95: Math.round((percentile(listen ?? [], 95) - plainP50) * 10) / 10 },
      whisperLeadToAgentMs: { ...stats(whisper), addedP95: Math.round((percentile(whisper ?? [], 95) - plainP50) * 10) / 10 },
      audioTargetP95Ms: 40,
      alertEventToLeadMs: stats(alertLatency),
      raisedHandRequestToLeadAlertMs: stats(handLatency),
      alertTargetP99Ms: 100,
    };
  } finally {
    await app.close();
    await services.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
