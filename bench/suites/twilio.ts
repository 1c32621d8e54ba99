// Twilio benchmark, against the Twilio stand-in (backend/test/support/twilio-stand-in.ts) on
// loopback: turn latency over µ-law 8 kHz Media Streams (caller's last voiced audio → first
// reply frame sent, per stage), escalation → the REST update reaching "Twilio" (from the
// moment call.escalated is committed to the request arriving at the stand-in; Twilio's own
// processing is not in it), and the CPU our side spends turning a reply into µ-law frames
// (mulaw-playout.ts). Options: --calls N (default 10).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../backend/src/app';
import { defaultConfig } from '../../backend/src/config/config';
import { createServices } from '../../backend/src/runtime/services';
import { createSpeechEngines } from '../../backend/src/runtime/speech-engines';
import { createTextToSpeech } from '../../backend/src/speech/providers';
import { synthesizeWhole } from '../../backend/src/speech/whole-utterance';
import type { TurnMetrics } from '../../backend/src/telephony/voice-call';
import { createTwilioClient } from '../../backend/src/telephony/twilio/twilio-rest';
import { TwilioStandIn, twilioSettings } from '../../backend/test/support/twilio-stand-in';

const STAND_IN_KEY = `SK${'b2'.repeat(16)}`;
import { measureMulawPlayout } from './mulaw-playout';
import { percentile } from './voice';

async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export async function run(args: string[]): Promise<Record<string, unknown>> {
  const i = args.indexOf('--calls');
  const calls = i >= 0 && args[i + 1] ? Number(args[i + 1]) : 10;
  const twilio = new TwilioStandIn();
  await twilio.listen();
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-bench-'));
  const config = defaultConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...twilioSettings(twilio.restBaseUrl) });
  const services = await createServices({ config });
  const metrics: TurnMetrics[] = [];
  const restSentAt = new Map<string, number>();
  const app = await buildApp(services, {
    speech: await createSpeechEngines(config),
    voiceMetrics: {
      onTurnMetrics: (m) => metrics.push(m),
      onRestRequest: (sessionId, what, at) => {
        if (sessionId && what === 'move to conference') restSentAt.set(sessionId, at);
      },
    },
  });
  twilio.attach(await app.listen({ port: 0, host: '127.0.0.1' }));
  const escalatedAt = new Map<string, number>();
  services.store.subscribe((e) => {
    if (e.type === 'call.escalated') escalatedAt.set(e.sessionId, performance.now());
  });
  const question = await synthesizeWhole(createTextToSpeech({ provider: 'local', voice: 'rms' }), 'where is my order');
  const escalations: number[] = [];
  const restFloor: number[] = [];
  const client = createTwilioClient(config);
  const decided: number[] = [];
  let unheard = 0;
  try {
    for (let n = 0; n < calls; n++) {
      const call = await twilio.dial(`+1555030${String(n).padStart(4, '0')}`);
      await call.caller.waitForAiAudio(0, 20_000);
      await call.caller.waitForAiIdle(600, 30_000);
      const turnsBefore = metrics.length;
      await call.caller.say(question);
      // A line the recognizer missed is counted, not fatal: the escalation is still measured.
      await waitFor(() => metrics.length > turnsBefore, 20_000, 'the reply').catch(() => void (unheard += 1));
      await call.caller.waitForAiIdle(600, 30_000);
      call.caller.dtmf('0');
      await waitFor(() => call.conference !== undefined, 20_000, 'the REST update');
      const sessionId = call.conference!.name;
      const update = twilio.requests.find((r) => r.path.endsWith(`/Calls/${call.callSid}.json`));
      const escalated = escalatedAt.get(sessionId);
      if (update && escalated !== undefined) escalations.push(update.at - escalated);
      const sent = restSentAt.get(sessionId);
      if (sent !== undefined && escalated !== undefined) decided.push(sent - escalated);
      await twilio.callCompleted(call);
      // The floor under the figure above: one REST request through the same client to the same
      // stand-in with nothing else going on (the twilio package, loopback HTTP, this event loop).
      const probeAt = performance.now();
      await client.keys(STAND_IN_KEY).fetch();
      const probe = twilio.requests.findLast((r) => r.path.endsWith(`/Keys/${STAND_IN_KEY}.json`));
      if (probe && probe.at >= probeAt) restFloor.push(probe.at - probeAt);
    }
  } finally {
    await app.close();
    await services.close();
    await twilio.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  const playout = await measureMulawPlayout(200);
  const stage = (pick: (m: TurnMetrics) => number) => ({ p50: percentile(metrics.map(pick), 50), p95: percentile(metrics.map(pick), 95) });
  return {
    carrier: 'twilio stand-in (µ-law 8 kHz, loopback)',
    calls,
    turnLatencyMs: { ...stage((m) => m.totalMs), turns: metrics.length, unheardTurns: unheard },
    turnStagesMs: {
      endOfTurnWait: stage((m) => m.endOfTurnWaitMs),
      sttFinal: stage((m) => m.sttFinalMs),
      brain: stage((m) => m.brainMs),
      ttsFirstChunk: stage((m) => m.ttsFirstChunkMs),
      send: stage((m) => m.sendMs),
    },
    escalateToRestUpdateMs: {
      p50: percentile(escalations, 50),
      p95: percentile(escalations, 95),
      p99: percentile(escalations, 99),
      max: percentile(escalations, 100),
      samples: escalations.length,
      targetP99: 50,
      // Of which: from call.escalated to our REST call starting (the rest is the twilio package's HTTP client and loopback).
      untilRequestStartsMs: { p50: percentile(decided, 50), p99: percentile(decided, 99) },
      // An idle request's start → arrival on the same client and stand-in: what is left is not ours to wait on.
      idleRestRequestMs: { p50: percentile(restFloor, 50), p99: percentile(restFloor, 99) },
    },
    mulawPlayout: playout,
  };
}
