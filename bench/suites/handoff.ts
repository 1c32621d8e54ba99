// Handoff benchmark: (1) escalation committed → offer received by a connected agent client,
// with 50 agents connected over WebSocket; (2) transcript.final committed → received by the
// agent on the call; (3) the agent app's live transcript in Chromium (scripting per appended
// line with 5,000 lines). Backend and clients share one process, so one clock measures both ends.
// Options: --calls N (default 30), --agents N (default 50), --lines N (default 5000), --skip-renderer.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentServerMessage } from '../../contracts/agent-channel';
import { buildApp } from '../../backend/src/app';
import { defaultConfig } from '../../backend/src/config/config';
import { createServices } from '../../backend/src/runtime/services';
import { createSpeechEngines } from '../../backend/src/runtime/speech-engines';
import { ScriptedCaller } from '../../backend/src/telephony/local/scripted-caller';
import { TestAgent } from '../../backend/test/agents/agent-client';
import { percentile } from './voice';

const PASSWORD = 'bench-agent-password';

export async function run(args: string[]): Promise<Record<string, unknown>> {
  const opt = (name: string, fallback: number) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 && args[i + 1] ? Number(args[i + 1]) : fallback;
  };
  const calls = opt('calls', 30);
  const agentCount = opt('agents', 50);
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-bench-handoff-'));
  const config = defaultConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', RECORDINGS: false, HOLD_ANNOUNCE_MS: 600_000 });
  const services = await createServices({ config });
  const app = await buildApp(services, { speech: await createSpeechEngines(config) });
  const baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });

  const committedAt = new Map<string, number>(); // `${sessionId}:${seq}` → commit time
  const escalatedAt = new Map<string, number>(); // sessionId → commit time of call.escalated
  services.store.subscribe((e) => {
    committedAt.set(`${e.sessionId}:${e.seq}`, performance.now());
    if (e.type === 'call.escalated') escalatedAt.set(e.sessionId, performance.now());
  });

  const agents: TestAgent[] = [];
  const offerLatency: number[] = [];
  const fanOut: number[] = [];
  try {
    for (let i = 0; i < agentCount; i++) {
      await services.users.create({ email: `agent${i}@bench.test`, name: `Agent ${i}`, role: 'agent', password: PASSWORD, skills: ['general', 'orders', 'billing'] });
      const agent = await TestAgent.signIn(baseUrl, `agent${i}@bench.test`, PASSWORD);
      await agent.connect();
      agents.push(agent);
    }
    const arrivals = new Map<string, number>();
    for (const agent of agents) {
      agent.ws.on('message', (d) => {
        const m = JSON.parse(d.toString()) as AgentServerMessage;
        if (m.type === 'offer') arrivals.set(`offer:${m.offer.sessionId}`, performance.now());
        if (m.type === 'session.event' && m.event.type === 'transcript.final') arrivals.set(`${m.sessionId}:${m.seq}`, performance.now());
      });
      await agent.request({ type: 'presence.set', presence: 'available' });
    }

    for (let c = 0; c < calls; c++) {
      const caller = new ScriptedCaller({ baseUrl, from: `+1555012${String(1000 + c).slice(-4)}` });
      await caller.connect();
      await caller.waitForAiAudio(0, 20_000);
      const started = performance.now();
      while (!caller.sessionId && performance.now() - started < 10_000) await new Promise((r) => setTimeout(r, 10));
      const sessionId = caller.sessionId!;
      caller.dtmf('0');
      const holder = await Promise.any(
        agents.map((a) => a.waitFor<Extract<AgentServerMessage, { type: 'offer' }>>((m) => m.type === 'offer' && m.offer.sessionId === sessionId, 15_000).then((m) => ({ a, m }))),
      );
      const received = arrivals.get(`offer:${sessionId}`)!;
      offerLatency.push(received - escalatedAt.get(sessionId)!);
      await holder.a.request({ type: 'offer.accept', offerId: holder.m.offer.offerId });
      // Fan-out: transcript lines committed to the live call's log, as the speech pipeline does.
      for (let line = 0; line < 10; line++) {
        const event = await services.store.appendEvent(sessionId, 'transcript.final', { speaker: 'caller', text: `benchmark line ${line}`, startMs: line * 1000, endMs: line * 1000 + 800 });
        const key = `${sessionId}:${event.seq}`;
        await holder.a.waitFor((m) => m.type === 'session.event' && m.sessionId === sessionId && m.seq === event.seq, 5000);
        fanOut.push(arrivals.get(key)! - committedAt.get(key)!);
        await new Promise((r) => setTimeout(r, 20));
      }
      await holder.a.request({ type: 'call.hangup', sessionId });
      await holder.a.waitFor((m) => m.type === 'call.state' && m.sessionId === sessionId && m.wrapUpStartedAt !== undefined);
      await holder.a.request({ type: 'wrapup.submit', sessionId, disposition: 'resolved', notes: 'benchmark', followUp: { kind: 'none' } });
      holder.a.messages.length = 0;
      await caller.closed();
    }
  } finally {
    for (const agent of agents) await agent.close().catch(() => undefined);
    await app.close();
    await services.close();
    rmSync(dataDir, { recursive: true, force: true });
  }

  let renderer: Record<string, unknown> = { skipped: true };
  if (!args.includes('--skip-renderer')) {
    const { measureTranscriptRender } = await import('./transcript-render');
    renderer = await measureTranscriptRender(opt('lines', 5000));
  }
  return {
    handoffLatency: {
      agentsConnected: agentCount,
      samples: offerLatency.length,
      p50Ms: percentile(offerLatency, 50),
      p99Ms: percentile(offerLatency, 99),
      note: 'call.escalated committed -> offer message received by the agent client over WebSocket, loopback',
    },
    transcriptFanOut: {
      samples: fanOut.length,
      p50Ms: percentile(fanOut, 50),
      p99Ms: percentile(fanOut, 99),
      note: 'transcript.final committed -> session.event received by the agent client',
    },
    rendererTranscript: renderer,
  };
}
