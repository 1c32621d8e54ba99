// Load benchmark: a real backend in a child process (`backend/src/server.ts`, local engines,
// fresh data dir) receives N local-carrier calls opened within 2 s, each a real-time stream of
// silence — or, with --speech, flite speech with real turns — whose marks are echoed like a
// playout buffer. Reports admitted and refused calls, greeting latency, turn latency (speech),
// the server's CPU and RSS, /healthz latency sampled every 100 ms throughout, and the server's
// descriptors and child processes before and after. Tests assert admission behaviour; this
// measures it.
//
// `npm run bench -- load [--calls N | --factor F] [--seconds S] [--speech] [--max-calls N]`
// `npm run load -- --calls N --seconds S [--speech]`
// Without --calls, N is F (default 1) times the capacity the server announces in its banner.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import WebSocket from 'ws';
import { createTextToSpeech } from '../../backend/src/speech/providers';
import { synthesizeWhole } from '../../backend/src/speech/whole-utterance';

const ROOT = resolve(import.meta.dirname, '../..');
const FRAME_SAMPLES = 320; // 20 ms at 16 kHz
const CALLER_LINE = 'What are your opening hours?';

interface Options {
  calls: number | undefined;
  factor: number;
  seconds: number;
  speech: boolean;
  maxCalls: number | undefined;
}

function parseArgs(args: string[]): Options {
  const value = (name: string): string | undefined => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const num = (name: string): number | undefined => {
    const v = value(name);
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} takes a positive number, got "${v}"`);
    return n;
  };
  return {
    calls: num('--calls'),
    factor: num('--factor') ?? 1,
    seconds: num('--seconds') ?? 20,
    speech: args.includes('--speech'),
    maxCalls: num('--max-calls'),
  };
}

export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Math.round(sorted[idx]! * 10) / 10;
}

// ---- the server, seen from /proc -----------------------------------------------------------

interface Server {
  child: ChildProcess;
  baseUrl: string;
  capacity: number;
  dataDir: string;
}

async function startServer(o: Options): Promise<Server> {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-load-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'backend/src/server.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: process.env.LOAD_DEBUG ? 'info' : 'error',
      ...(o.maxCalls ? { MAX_CALLS: String(o.maxCalls) } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const started = Date.now();
  while (!/listening on (http:\/\/\S+)/.test(output)) {
    if (child.exitCode !== null || Date.now() - started > 60_000) throw new Error(`the backend did not start:\n${output}`);
    await sleep(50);
  }
  const capacity = Number(/capacity: (\d+) concurrent calls/.exec(output)?.[1] ?? NaN);
  if (process.env.LOAD_DEBUG) child.once('exit', () => console.error(output.split('\n').filter((l) => /"level":(40|50)|turn|speech/.test(l)).slice(-40).join('\n')));
  return { child, baseUrl: /listening on (http:\/\/\S+)/.exec(output)![1]!, capacity, dataDir };
}

function procStat(pid: number): { cpuTicks: number; childCpuTicks: number; rssMb: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime, stime, cutime, cstime are fields 14-17 (1-based) of the whole line: 11-14 after the name.
  const cpuTicks = Number(fields[11]) + Number(fields[12]);
  // Reaped children (the per-call recognizers) count here once they exited.
  const childCpuTicks = Number(fields[13]) + Number(fields[14]);
  const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return { cpuTicks, childCpuTicks, rssMb: Math.round(Number(rss ?? 0) / 1024) };
}

function descriptorTargets(pid: number): string[] {
  return readdirSync(`/proc/${pid}/fd`).map((fd) => {
    try {
      return readlinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      return '';
    }
  });
}

/** Open descriptors and live descendant processes of the server. */
function holdings(pid: number): { fds: number; childProcesses: number } {
  const descendants = (p: number): number[] => {
    const kids: number[] = [];
    try {
      for (const task of readdirSync(`/proc/${p}/task`)) {
        const line = readFileSync(`/proc/${p}/task/${task}/children`, 'utf8').trim();
        if (line) kids.push(...line.split(/\s+/).map(Number));
      }
    } catch {
      // the process is gone
    }
    return kids.flatMap((k) => [k, ...descendants(k)]);
  };
  return { fds: readdirSync(`/proc/${pid}/fd`).length, childProcesses: descendants(pid).length };
}

// ---- callers ---------------------------------------------------------------------------------

interface Caller {
  ws: WebSocket;
  startedAt: number;
  greetingMs: number | undefined;
  admitted: boolean | undefined;
  closed: boolean;
  closeCode: number | undefined;
  closeReason: string;
  /** Caller audio still to send, in 20 ms frames. */
  outgoing: Int16Array[];
  /** Wall time the last frame of the caller's line was sent; a turn is timed from here. */
  lineEndedAt: number | undefined;
  turnMs: number[];
  lastAiAudioAt: number;
  nextLineAt: number;
}

function frames(pcm: Int16Array): Int16Array[] {
  const out: Int16Array[] = [];
  for (let i = 0; i < pcm.length; i += FRAME_SAMPLES) {
    const f = new Int16Array(FRAME_SAMPLES);
    f.set(pcm.subarray(i, i + FRAME_SAMPLES));
    out.push(f);
  }
  return out;
}

function dial(baseUrl: string, n: number): Caller {
  const ws = new WebSocket(`${baseUrl.replace('http', 'ws')}/local/media`);
  const caller: Caller = {
    ws,
    startedAt: 0,
    greetingMs: undefined,
    admitted: undefined,
    closed: false,
    closeCode: undefined,
    closeReason: '',
    outgoing: [],
    lineEndedAt: undefined,
    turnMs: [],
    lastAiAudioAt: 0,
    nextLineAt: 0,
  };
  ws.on('open', () => {
    caller.startedAt = performance.now();
    ws.send(
      JSON.stringify({
        event: 'start',
        sequenceNumber: '1',
        streamSid: `MZload${n}`,
        start: { streamSid: `MZload${n}`, callSid: `CAload${n}`, customParameters: { from: `+1555030${String(n).padStart(4, '0')}` }, mediaFormat: { encoding: 'audio/x-l16', sampleRate: 16000, channels: 1 } },
      }),
    );
  });
  ws.on('message', (data: Buffer) => {
    const f = JSON.parse(data.toString()) as { event: string; mark?: { name: string } };
    const now = performance.now();
    if (f.event === 'media') {
      caller.greetingMs ??= now - caller.startedAt;
      if (caller.lineEndedAt !== undefined) {
        caller.turnMs.push(now - caller.lineEndedAt);
        caller.lineEndedAt = undefined;
      }
      caller.lastAiAudioAt = now;
    } else if (f.event === 'mark' && f.mark) {
      caller.admitted ??= f.mark.name !== 'busy';
      // A playout buffer echoes the mark once the audio before it played; close enough here.
      ws.send(JSON.stringify({ event: 'mark', sequenceNumber: '2', streamSid: `MZload${n}`, mark: f.mark }));
    }
  });
  ws.on('close', (code, reason) => {
    caller.closed = true;
    caller.closeCode = code;
    caller.closeReason = reason.toString();
  });
  ws.on('error', () => undefined);
  return caller;
}

export async function run(args: string[]): Promise<Record<string, unknown>> {
  const o = parseArgs(args);
  const line = o.speech ? frames(await synthesizeWhole(createTextToSpeech({ provider: 'local', voice: 'rms' }), CALLER_LINE)) : [];
  const server = await startServer(o);
  const pid = server.child.pid!;
  const calls = o.calls ?? Math.max(1, Math.round(server.capacity * o.factor));
  try {
    // /healthz every 100 ms for the whole run, from its own process so the callers' work in
    // this one never delays the probe.
    const poller = startHealthProbe(server.baseUrl);
    // Let start-up work settle (and the health poller's keep-alive connection open) before the "before" snapshot.
    await sleep(1000);
    const before = holdings(pid);
    const fdsBefore = descriptorTargets(pid);
    const statBefore = procStat(pid);
    let rssPeak = statBefore.rssMb;

    const rssSampler = setInterval(() => {
      try {
        rssPeak = Math.max(rssPeak, procStat(pid).rssMb);
      } catch {
        // the server died: reported below
      }
    }, 250);

    // Open the calls evenly within 2 s.
    const callers: Caller[] = [];
    const t0 = performance.now();
    for (let i = 0; i < calls; i++) {
      callers.push(dial(server.baseUrl, i));
      await sleep(Math.max(0, (2000 * (i + 1)) / calls - (performance.now() - t0)));
    }

    // One ticker sends every open call's next 20 ms frame at real time.
    const silence = new Int16Array(FRAME_SAMPLES);
    const runUntil = t0 + o.seconds * 1000;
    let next = performance.now();
    while (performance.now() < runUntil) {
      const now = performance.now();
      for (const c of callers) {
        if (c.closed || c.ws.readyState !== WebSocket.OPEN || c.startedAt === 0) continue;
        // With speech: say the line once the AI has been quiet for 1.5 s (it finished its reply).
        if (o.speech && c.admitted && c.outgoing.length === 0 && c.lineEndedAt === undefined && c.lastAiAudioAt > 0 && now - c.lastAiAudioAt > 1500 && now >= c.nextLineAt) {
          c.outgoing.push(...line);
          c.nextLineAt = now + 4000;
        }
        const pcm = c.outgoing.shift() ?? silence;
        c.ws.send(JSON.stringify({ event: 'media', sequenceNumber: '3', streamSid: 'x', media: { track: 'inbound', chunk: '1', timestamp: '0', payload: Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength).toString('base64') } }));
        if (o.speech && pcm !== silence && c.outgoing.length === 0) c.lineEndedAt = performance.now();
      }
      next += 20;
      await sleep(Math.max(0, next - performance.now()));
    }
    const statEnd = procStat(pid);
    const wallS = (performance.now() - t0) / 1000;

    for (const c of callers) c.ws.close();
    const hungUp = performance.now();
    while (callers.some((c) => !c.closed) && performance.now() - hungUp < 10_000) await sleep(50);
    const { health, healthFailures } = await poller.stop();
    clearInterval(rssSampler);
    // Let the server release what the calls held (recognizers exit, recorders flush).
    let after = holdings(pid);
    const settleStart = performance.now();
    while ((after.fds > before.fds || after.childProcesses > before.childProcesses) && performance.now() - settleStart < 15_000) {
      await sleep(250);
      after = holdings(pid);
    }

    const statSettled = procStat(pid);
    const extraFds = descriptorTargets(pid);
    for (const target of fdsBefore) extraFds.splice(extraFds.indexOf(target), 1);
    const admitted = callers.filter((c) => c.admitted === true);
    const refused = callers.filter((c) => c.admitted === false);
    const greetings = admitted.flatMap((c) => (c.greetingMs !== undefined ? [c.greetingMs] : []));
    const turns = admitted.flatMap((c) => c.turnMs);
    const ticksPerSecond = 100;
    return {
      calls,
      seconds: o.seconds,
      speech: o.speech,
      capacity: server.capacity,
      admitted: admitted.length,
      refused: refused.length,
      noAnswer: callers.length - admitted.length - refused.length,
      /** How each stream was closed: by the server with its code and reason, or 1005 when we hung up first. */
      closes: callers.reduce<Record<string, number>>((acc, c) => {
        const key = `${c.closeCode ?? 'open'}${c.closeReason ? ` ${c.closeReason}` : ''}`;
        acc[key] = (acc[key] ?? 0) + 1;
        return acc;
      }, {}),
      greetingMs: { p50: percentile(greetings, 50), p95: percentile(greetings, 95), max: percentile(greetings, 100) },
      turnMs: o.speech ? { p50: percentile(turns, 50), p95: percentile(turns, 95), count: turns.length, note: 'from the caller line’s last frame to the first reply frame; includes the adaptive end-of-turn silence (END_OF_TURN_MIN_MS after a complete answer, up to END_OF_TURN_MAX_MS when the caller trails off)' } : null,
      server: {
        cpuCores: Math.round(((statEnd.cpuTicks - statBefore.cpuTicks) / ticksPerSecond / wallS) * 100) / 100,
        /** The Node process plus its speech-engine processes (counted once they exited). */
        cpuCoresWithEngines: Math.round(((statSettled.cpuTicks + statSettled.childCpuTicks - statBefore.cpuTicks - statBefore.childCpuTicks) / ticksPerSecond / wallS) * 100) / 100,
        rssMbBefore: statBefore.rssMb,
        rssMbPeak: rssPeak,
        alive: server.child.exitCode === null,
      },
      healthzMs: { p50: percentile(health, 50), p99: percentile(health, 99), max: percentile(health, 100), samples: health.length, failures: healthFailures },
      before,
      after,
      ...(extraFds.length > 0 ? { descriptorsLeft: extraFds } : {}),
      note: 'client and server share this machine; figures are noisy under other load',
    };
  } finally {
    server.child.kill('SIGTERM');
    await new Promise((r) => (server.child.exitCode !== null ? r(undefined) : server.child.once('exit', r)));
    rmSync(server.dataDir, { recursive: true, force: true });
  }
}

/** A child process that GETs /healthz every 100 ms until told to stop, then reports the latencies. */
function startHealthProbe(baseUrl: string): { stop(): Promise<{ health: number[]; healthFailures: number }> } {
  const source = `
    const url = process.argv[1];
    const health = [];
    let failures = 0;
    let polling = true;
    process.on('message', () => { polling = false; });
    (async () => {
      while (polling) {
        const t0 = performance.now();
        try {
          const res = await fetch(url, { signal: AbortSignal.timeout(10000) });
          await res.arrayBuffer();
          if (res.ok) health.push(performance.now() - t0); else failures++;
        } catch { failures++; }
        await new Promise((r) => setTimeout(r, Math.max(0, 100 - (performance.now() - t0))));
      }
      process.send({ health, failures }, () => process.exit(0));
    })();
  `;
  const child = spawn(process.execPath, ['-e', source, `${baseUrl}/healthz`], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const result = new Promise<{ health: number[]; healthFailures: number }>((resolve) =>
    child.once('message', (m: { health: number[]; failures: number }) => resolve({ health: m.health, healthFailures: m.failures })),
  );
  return {
    stop: async () => {
      child.send('stop');
      return result;
    },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
