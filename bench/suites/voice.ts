// Voice benchmark: turn latency with a per-stage breakdown, barge-in reaction, media-path
// capacity (no speech engine), and full-pipeline capacity with the local engines — all on
// loopback against the real backend (Fastify + /local/media + pocketsphinx + flite).
// Options: --turns N (default 24), --turn-callers N (default 2), --barge-ins N (default 6), --skip-capacity, --capacity-only, --max-calls N (default 32), --setup-calls N (default 10).
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../backend/src/app';
import { defaultConfig } from '../../backend/src/config/config';
import { createServices, type Services } from '../../backend/src/runtime/services';
import { createSpeechEngines } from '../../backend/src/runtime/speech-engines';
import { createTextToSpeech } from '../../backend/src/speech/providers';
import { synthesizeWhole } from '../../backend/src/speech/whole-utterance';
import { ScriptedCaller } from '../../backend/src/telephony/local/scripted-caller';
import type { TurnMetrics } from '../../backend/src/telephony/voice-call';
import { measureMediaCapacity } from './media-capacity';

interface Rig {
  baseUrl: string;
  metrics: TurnMetrics[];
  bargeIns: Array<{ speechStartWallMs: number; clearSentWallMs: number }>;
  openCalls(): number;
  close(): Promise<void>;
}

async function startRig(): Promise<Rig> {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-bench-'));
  const config = defaultConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
  const services: Services = await createServices({ config });
  const speech = await createSpeechEngines(config);
  // As the server does at start: models loaded and fixed lines rendered before the first call.
  await speech.warm?.();
  const metrics: TurnMetrics[] = [];
  const bargeIns: Rig['bargeIns'] = [];
  const app: FastifyInstance = await buildApp(services, {
    speech,
    voiceMetrics: { onTurnMetrics: (m) => metrics.push(m), onBargeIn: (b) => bargeIns.push(b) },
  });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    baseUrl: address,
    metrics,
    bargeIns,
    openCalls: () => app.calls.size,
    close: async () => {
      await app.close();
      await speech.close?.();
      await services.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return round(sorted[idx]!);
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

/** Drops leading and trailing near-silence so "speech onset" is the first voiced sample. */
function trimSilence(pcm: Int16Array): Int16Array {
  const threshold = 500;
  let start = 0;
  while (start < pcm.length && Math.abs(pcm[start]!) < threshold) start++;
  let end = pcm.length;
  while (end > start && Math.abs(pcm[end - 1]!) < threshold) end--;
  return pcm.subarray(start, end);
}

async function synth(text: string, voice = 'rms'): Promise<Int16Array> {
  return trimSilence(await synthesizeWhole(createTextToSpeech({ provider: 'local', voice }), text));
}

/** One caller saying each line in turn, waiting for each reply to finish. */
async function runTurns(rig: Rig, lines: Int16Array[], from: string): Promise<void> {
  const caller = new ScriptedCaller({ baseUrl: rig.baseUrl, from });
  await caller.connect();
  await caller.waitForAiAudio(0, 20_000);
  await caller.waitForAiIdle(600);
  for (const pcm of lines) {
    await caller.say(pcm);
    const sent = performance.now();
    await caller.waitForAiAudio(sent, 15_000).catch(() => undefined);
    await caller.waitForAiIdle(600, 60_000).catch(() => undefined);
  }
  await caller.hangUp().catch(() => undefined);
}

async function turnLatency(turns: number, callers: number): Promise<Record<string, unknown>> {
  const rig = await startRig();
  try {
    // Short exchanges keep the run brief: greetings get a one-sentence reply.
    const phrases = ['hello', 'hello there', 'good morning', 'hi there'];
    const audio = await Promise.all(phrases.map((p) => synth(p)));
    // Two callers at once, each waiting out its replies: the run takes half as long, and with
    // one decoder thread per core (2 here) neither caller's decoding waits on the other's.
    const perCall = Math.ceil(turns / callers);
    await Promise.all(
      Array.from({ length: callers }, (_, c) => {
        const count = Math.max(0, Math.min(perCall, turns - c * perCall));
        const lines = Array.from({ length: count }, (_, i) => audio[(c * perCall + i) % audio.length]!);
        return count ? runTurns(rig, lines, `+155501099${String(c).padStart(2, '0')}`) : Promise.resolve();
      }),
    );
    const m = rig.metrics;
    const pick = (f: (x: TurnMetrics) => number) => m.map(f);
    const overhead = pick((x) => x.totalMs - x.endOfTurnWaitMs - x.sttFinalMs - x.ttsFirstChunkMs);
    return {
      turns: m.length,
      concurrentCallers: callers,
      endOfTurnSilenceMs: { adaptive: true, min: config().END_OF_TURN_MIN_MS, default: config().END_OF_TURN_SILENCE_MS, max: config().END_OF_TURN_MAX_MS },
      totalMs: { p50: percentile(pick((x) => x.totalMs), 50), p95: percentile(pick((x) => x.totalMs), 95) },
      stages: {
        endOfTurnWaitMs: { p50: percentile(pick((x) => x.endOfTurnWaitMs), 50), p95: percentile(pick((x) => x.endOfTurnWaitMs), 95) },
        sttFinalMs: { p50: percentile(pick((x) => x.sttFinalMs), 50), p95: percentile(pick((x) => x.sttFinalMs), 95) },
        brainMs: { p50: percentile(pick((x) => x.brainMs), 50), p95: percentile(pick((x) => x.brainMs), 95) },
        ttsFirstChunkMs: { p50: percentile(pick((x) => x.ttsFirstChunkMs), 50), p95: percentile(pick((x) => x.ttsFirstChunkMs), 95) },
        sendMs: { p50: percentile(pick((x) => x.sendMs), 50), p95: percentile(pick((x) => x.sendMs), 95) },
      },
      ownOverheadMs: { p50: percentile(overhead, 50), p95: percentile(overhead, 95) },
      note: 'caller last voiced frame -> first reply frame sent; own overhead = total minus end-of-turn wait, STT final and TTS first chunk (engine compute)',
    };
  } finally {
    await rig.close();
  }
}

async function bargeIn(samples: number): Promise<Record<string, unknown>> {
  const rig = await startRig();
  try {
    const interrupt = await synth('wait wait I have a question');
    const reactions: number[] = [];
    let failures = 0;
    for (let i = 0; i < samples; i++) {
      const caller = new ScriptedCaller({ baseUrl: rig.baseUrl, from: '+15550109998' });
      try {
        await caller.connect();
        // The caller talks over the greeting: the same path (VAD onset -> clear -> synthesis
        // aborted) as over any reply, without waiting out a question and its answer first.
        await caller.waitForAiAudio(0, 20_000);
        await new Promise((r) => setTimeout(r, 800));
        const clearsBefore = caller.clears.length;
        const onset = performance.now();
        const saying = caller.say(interrupt);
        await new Promise<void>((resolve) => {
          const poll = () => (caller.clears.length > clearsBefore || performance.now() - onset > 5000 ? resolve() : setTimeout(poll, 2));
          poll();
        });
        if (caller.clears.length > clearsBefore) reactions.push(caller.clears[clearsBefore]! - onset);
        else failures++;
        await saying;
      } catch {
        failures++;
      } finally {
        await caller.hangUp().catch(() => undefined);
      }
    }
    return {
      samples: reactions.length,
      failedSamples: failures,
      bargeInThresholdMs: config().BARGE_IN_MS,
      onsetToClearMs: { p50: percentile(reactions, 50), p95: percentile(reactions, 95), max: round(Math.max(...reactions)) },
      note: 'caller speech onset over the greeting (first voiced frame sent) -> clear received by the caller, loopback',
    };
  } finally {
    await rig.close();
  }
}

function config(): ReturnType<typeof defaultConfig> {
  return defaultConfig({ LOG_LEVEL: 'silent' });
}

async function fullPipelineCapacity(maxCalls: number): Promise<Record<string, unknown>> {
  const rig = await startRig();
  const levels: Array<Record<string, unknown>> = [];
  try {
    const audio = await Promise.all(['hello', 'good morning', 'hello there'].map((p) => synth(p)));
    let largestOk = 0;
    for (const calls of [1, 4, 8, 12, 16, 20, 24, 28, 32].filter((n) => n <= maxCalls)) {
      rig.metrics.length = 0;
      global.gc?.();
      const idleRss = process.memoryUsage().rss;
      let peakRss = idleRss;
      const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200);
      const cpuBefore = process.cpuUsage();
      const wallBefore = performance.now();
      await Promise.all(Array.from({ length: calls }, (_, i) => runTurns(rig, audio, `+1555011${String(1000 + i).slice(-4)}`)));
      clearInterval(sampler);
      const cpu = process.cpuUsage(cpuBefore);
      // CPU the whole process (all threads, the scripted callers too) spent per second of call:
      // unlike the latency percentiles, this does not depend on what else the machine runs.
      const coresPerCall = (cpu.user + cpu.system) / 1000 / ((performance.now() - wallBefore) * calls);
      const p95 = percentile(rig.metrics.map((m) => m.totalMs), 95);
      // Every turn must be answered: a lost turn is a failure, not a faster percentile.
      const complete = rig.metrics.length >= calls * audio.length;
      levels.push({
        calls,
        turns: rig.metrics.length,
        expectedTurns: calls * audio.length,
        p50TotalMs: percentile(rig.metrics.map((m) => m.totalMs), 50),
        p95TotalMs: p95,
        p95StagesMs: {
          endOfTurnWait: percentile(rig.metrics.map((m) => m.endOfTurnWaitMs), 95),
          sttFinal: percentile(rig.metrics.map((m) => m.sttFinalMs), 95),
          brain: percentile(rig.metrics.map((m) => m.brainMs), 95),
          ttsFirstChunk: percentile(rig.metrics.map((m) => m.ttsFirstChunkMs), 95),
        },
        rssPerCallMb: round((peakRss - idleRss) / calls / 1e6),
        coresPerCall: Math.round(coresPerCall * 1000) / 1000,
        loadAverage1m: round(loadavg()[0]!),
      });
      if (!(p95 <= 1000) || !complete) break;
      largestOk = calls;
    }
    return {
      largestConcurrentCallsWithinP95_1000ms: largestOk,
      levels,
      note: 'concurrent callers, each greeting + 3 turns, in-process pocketsphinx + flite (cached fixed lines); rssPerCallMb = (peak RSS during the level - RSS before) / calls, whole process incl. recognizer threads',
    };
  } finally {
    await rig.close();
  }
}

/**
 * CPU the backend process (all its threads) spends to set up one call: socket, session,
 * recognizer stream, VAD, greeting. The scripted caller runs in another process, so its own
 * CPU is not counted, and each call is hung up before the next is dialled, so no other call's
 * audio is decoded inside the window.
 */
async function callSetupCpu(calls: number): Promise<Record<string, unknown>> {
  const rig = await startRig();
  const child = fork(fileURLToPath(new URL('./setup-caller.ts', import.meta.url)), [rig.baseUrl], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const next = <K extends string>(key: K): Promise<Record<K, unknown>> =>
    new Promise((resolve, reject) => {
      const onMessage = (m: Record<string, unknown>): void => {
        if ('failed' in m) reject(new Error(`setup caller: ${String(m.failed)}`));
        else if (key in m) resolve(m as Record<K, unknown>);
        else return;
        child.off('message', onMessage);
      };
      child.on('message', onMessage);
    });
  try {
    await next('ready');
    const perCall: number[] = [];
    for (let i = 0; i < calls; i++) {
      const greeted = next('greeted');
      const before = process.cpuUsage();
      child.send({ call: i });
      await greeted;
      const used = process.cpuUsage(before);
      perCall.push((used.user + used.system) / 1000);
      const gone = next('gone');
      child.send({ hangUp: i });
      await gone;
      await waitFor(() => rig.openCalls() === 0, 10_000);
    }
    return {
      calls,
      cpuMsPerCall: { p50: percentile(perCall, 50), p95: percentile(perCall, 95) },
      note: 'backend process CPU (all threads) from dialling to the first greeting frame at the caller; the caller runs in another process; one call at a time',
    };
  } finally {
    child.send({ exit: true });
    await rig.close();
  }
}

async function waitFor(check: () => boolean, timeoutMs: number): Promise<void> {
  const started = performance.now();
  while (!check() && performance.now() - started < timeoutMs) await new Promise((r) => setTimeout(r, 10));
}

/** Each stage names itself on stderr with its duration, so a slow or stuck run shows where it is. */
async function stage<T>(name: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  console.error(`voice bench: ${name}…`);
  const result = await work();
  console.error(`voice bench: ${name} done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

export async function run(args: string[]): Promise<Record<string, unknown>> {
  const opt = (name: string, fallback: number) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 && args[i + 1] ? Number(args[i + 1]) : fallback;
  };
  const skipCapacity = args.includes('--skip-capacity');
  if (args.includes('--capacity-only')) return { fullPipelineCapacity: await stage('full-pipeline capacity', () => fullPipelineCapacity(opt('max-calls', 32))) };
  const turnLatencyFigures = await stage('turn latency', () => turnLatency(opt('turns', 24), opt('turn-callers', 2)));
  const bargeInFigures = await stage('barge-in', () => bargeIn(opt('barge-ins', 6)));
  const media: Record<string, unknown> = {};
  for (const n of [50, 200, 500]) media[`streams_${n}`] = await stage(`media path, ${n} streams`, () => measureMediaCapacity(n, opt('media-seconds', 5)));
  const setup = await stage('call setup', () => callSetupCpu(opt('setup-calls', 10)));
  const full = skipCapacity ? { skipped: true } : await stage('full-pipeline capacity', () => fullPipelineCapacity(opt('max-calls', 32)));
  return { turnLatency: turnLatencyFigures, bargeIn: bargeInFigures, callSetup: setup, mediaPathCapacity: media, fullPipelineCapacity: full };
}
