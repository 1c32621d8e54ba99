// `npm run bench -- cluster [--calls 50] [--events 40]`: two backends' services in one
// process over the machine's PostgreSQL (a fresh schema) and NATS (a fresh subject prefix).
// `calls` concurrent sessions each write `events` events on backend A at a talking pace;
// the figure is the time from A's commit to backend B's cluster feed handing the event on
// (cross-instance fan-out), plus the append itself (the store's commit on PostgreSQL).
// Failover: three processes compete for the routing lease (the production retry, 500 ms);
// the leader is SIGKILLed `--kills` times and the figure is kill → a standby holds the lease.
// Handoff across instances: three backend processes over a fresh schema; callers
// on one standby, agents on the other, the third leads routing. The figure is the agent's
// `offer.accept` to its `call.assigned`: the accept goes to the leader, the take runs where
// the caller is (claim, bridge, log, brief), and the assignment comes back to the agent's
// backend (`--handoffs`, in rounds of `--parallel`, after one round not counted that warms
// each process's code paths up).
// Monitor start across instances: a lead's `monitor.start` to their `monitor.state` (which
// names the holding backend's media URL), for a lead on another backend than the call (the
// step is forwarded to the holder over NATS) beside a lead on the holding backend
// (`--monitors` rounds). `--only monitor` runs just this part.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { defaultConfig } from '../../backend/src/config/config';
import { createServices, type Services } from '../../backend/src/runtime/services';
import { UserDirectory } from '../../backend/src/auth/users';
import { ScriptedCaller } from '../../backend/src/telephony/local/scripted-caller';
import { TestAgent } from '../../backend/test/agents/agent-client';
import { BackendProcesses, until, type BackendProcess } from '../../backend/test/support/backend-processes';
import { startCluster, takenCall, type Backend } from '../../backend/test/support/cluster';
import { freshSchema } from '../../backend/test/support/postgres';
import type { AgentServerMessage } from '../../contracts/agent-channel';

function arg(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return Math.round(sorted[Math.max(0, i)]! * 100) / 100;
}

const summary = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { p50: pct(s, 50), p95: pct(s, 95), p99: pct(s, 99), max: pct(s, 100), n: s.length };
};

export async function run(args: string[]): Promise<Record<string, unknown>> {
  // Accepts in rounds of `--parallel` at once (default 4: four agents answering in the same
  // few milliseconds), and one at a time: on a 2-core machine that runs all three backends,
  // PostgreSQL, NATS and the callers, the difference is the processes waiting for a core.
  const handoffs = async () => ({
    handoffAcrossInstancesMs: summary(await measureHandoff(Number(arg(args, 'handoffs') ?? 20), Number(arg(args, 'parallel') ?? 4))),
    handoffOneAtATimeMs: summary(await measureHandoff(Number(arg(args, 'handoffs') ?? 20), 1)),
  });
  // `--only handoff`: just the handoff rounds (they start their own three backends).
  if (arg(args, 'only') === 'handoff') return { ...(await handoffs()), targets: { handoffAcrossInstancesP99Ms: 60 } };
  // `--only monitor`: just the monitor starts (their own three backends).
  const monitors = Number(arg(args, 'monitors') ?? 30);
  if (arg(args, 'only') === 'monitor') return { monitorStartMs: await measureMonitorStart(monitors) };
  const calls = Number(arg(args, 'calls') ?? 50);
  const events = Number(arg(args, 'events') ?? 40);
  const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `bench_cluster_${process.pid}`;
  const prefix = `bench.${randomBytes(4).toString('hex')}`;
  const config = defaultConfig({ LOG_LEVEL: 'silent', DEMO_DATA: false, RECORDINGS: false, STORE: 'postgres', DATABASE_URL: url, BUS: 'nats', NATS_URL: process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222' });
  const backends: Services[] = [];
  try {
    for (const id of ['a', 'b']) backends.push(await createServices({ config: { ...config, INSTANCE_ID: id }, databaseSchema: schema, busPrefix: prefix, seed: 'none' }));
    const [a, b] = backends as [Services, Services];
    const committedAt = new Map<string, number>();
    const fanOut: number[] = [];
    const append: number[] = [];
    a.store.subscribe((e) => committedAt.set(`${e.sessionId}:${e.seq}`, performance.now()));
    let heard = 0;
    b.liveEvents.subscribe((e) => {
      const t = committedAt.get(`${e.sessionId}:${e.seq}`);
      if (t !== undefined) fanOut.push(performance.now() - t);
      heard++;
    });
    // Our part of a fan-out, profiled: how long the process's event loop made ready work wait
    // (both backends share it here), and what serializing and parsing one event costs.
    const loopDelay = monitorEventLoopDelay({ resolution: 5 });
    loopDelay.enable();
    const sessions = await Promise.all(Array.from({ length: calls }, (_, i) => a.store.createSession({ channel: 'voice', callerId: `+1555010${String(i).padStart(4, '0')}` })));
    const started = performance.now();
    await Promise.all(
      sessions.map(async (s, i) => {
        await new Promise((r) => setTimeout(r, (i * 997) % 250)); // calls do not start in lockstep
        for (let n = 1; n <= events; n++) {
          const t = performance.now();
          await a.store.appendEvent(s.id, 'caller.said', { turn: n, text: `line ${n} of call ${i}`, source: 'speech' });
          append.push(performance.now() - t);
          await new Promise((r) => setTimeout(r, 20 + ((i * 31 + n * 17) % 60)));
        }
      }),
    );
    const deadline = Date.now() + 30_000;
    while (heard < calls * events && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await b.cluster!.feed.settle();
    const seconds = (performance.now() - started) / 1000;
    loopDelay.disable();
    const sample = (await a.store.listEvents(sessions[0]!.id)).at(-1)!;
    const t0 = performance.now();
    for (let i = 0; i < 10_000; i++) JSON.parse(JSON.stringify(sample));
    const codecUs = ((performance.now() - t0) / 10_000) * 1000;
    // The two backends hold a lease too: let them go before the failover rounds.
    for (const s of backends.splice(0)) await s.close();
    return {
      setup: 'two backends in one process; PostgreSQL and NATS on loopback',
      calls,
      eventsPerCall: events,
      eventsPerSecond: Math.round((calls * events) / seconds),
      delivered: heard,
      rereadAfterGap: b.cluster!.feed.reread,
      crossInstanceFanOutMs: summary(fanOut),
      fanOutProfile: {
        eventLoopDelayMs: { p50: Math.round(loopDelay.percentile(50) / 1e4) / 100, p99: Math.round(loopDelay.percentile(99) / 1e4) / 100, max: Math.round(loopDelay.max / 1e4) / 100 },
        serializeAndParseUsPerEvent: Math.round(codecUs * 10) / 10,
        note: 'the feed re-reads the store only after a gap (rereadAfterGap); publish is flushed on the next microtask; the rest of a fan-out is waiting for the shared event loop',
      },
      appendCommitMs: summary(append),
      failoverMs: summary(await measureFailover(url, schema, Number(arg(args, 'kills') ?? 10))),
      ...(await handoffs()),
      monitorStartMs: await measureMonitorStart(monitors),
      targets: { crossInstanceFanOutP99Ms: 30, handoffAcrossInstancesP99Ms: 60, failoverP95Ms: 5000 },
    };
  } finally {
    for (const s of backends) await s.close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`drop schema if exists ${schema} cascade`);
    await client.end();
  }
}

/**
 * accept → call.assigned, for an agent on one backend taking a call whose caller is on
 * another (a third leads). The backends are separate processes, as in production: each has
 * its own event loop; the callers and agents run in this one.
 */
async function measureHandoff(handoffs: number, parallel: number): Promise<number[]> {
  const schema = await freshSchema('bench_handoff');
  const db = await schema.open();
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-bench-handoff-'));
  const backends = new BackendProcesses(schema, dataDir, { OFFER_TIMEOUT_MS: '30000', LOG_LEVEL: 'silent' });
  const out: number[] = [];
  const open: Array<{ close(): Promise<unknown> }> = [];
  try {
    const users = new UserDirectory(db, 4);
    for (let i = 0; i < parallel; i++) {
      await users.create({ email: `agent${i}@bench.test`, name: `Agent ${i}`, role: 'agent', password: 'password-123', team: 'bench', skills: ['general', 'billing', 'orders'] });
    }
    // One at a time: the first migrates the schema.
    for (const id of ['h1', 'h2', 'h3']) await backends.start(id);
    const leader = await until(() => backends.leader(), 'a routing leader');
    const [agentSide, callerSide] = backends.all.filter((b) => b !== leader) as [BackendProcess, BackendProcess];
    const agents: TestAgent[] = [];
    for (let i = 0; i < parallel; i++) {
      const agent = await TestAgent.signIn(agentSide.url, `agent${i}@bench.test`, 'password-123');
      open.push(agent);
      await agent.connect();
      await agent.request({ type: 'presence.set', presence: 'available' });
      agents.push(agent);
    }
    // The first round warms up (every process runs its take and accept code for the first time).
    for (let done = -parallel; done < handoffs; done += parallel) {
      const callers = await Promise.all(
        agents.slice(0, Math.min(parallel, handoffs - done)).map(async (_agent, i) => {
          const caller = new ScriptedCaller({ baseUrl: callerSide.url, from: `+1555030${String(done + parallel + i).padStart(4, '0')}`, name: 'Bench Caller' });
          open.push({ close: () => caller.hangUp().catch(() => undefined) });
          await caller.connect();
          await caller.waitForAiAudio(0, 30_000);
          await until(() => caller.sessionId, 'the session id', 10_000);
          caller.dtmf('0');
          return caller;
        }),
      );
      const ids = new Set(callers.map((c) => c.sessionId!));
      await Promise.all(
        agents.map(async (agent) => {
          const offer = await agent
            .waitFor<Extract<AgentServerMessage, { type: 'offer' }>>((m) => m.type === 'offer' && ids.has(m.offer.sessionId), 30_000)
            .catch(() => undefined);
          if (!offer) return;
          const sessionId = offer.offer.sessionId;
          const t = performance.now();
          agent.send({ type: 'offer.accept', offerId: offer.offer.offerId });
          await agent.waitFor((m) => m.type === 'call.assigned' && m.sessionId === sessionId, 30_000);
          if (done >= 0) out.push(performance.now() - t);
          await agent.request({ type: 'call.hangup', sessionId });
          await agent.waitFor((m) => m.type === 'call.state' && m.sessionId === sessionId && m.wrapUpStartedAt !== undefined, 30_000);
          await agent.request({ type: 'wrapup.submit', sessionId, disposition: 'resolved', notes: '', followUp: { kind: 'none' } });
          agent.messages.length = 0;
        }),
      );
    }
  } finally {
    await Promise.all(open.map((o) => Promise.race([o.close(), new Promise((r) => setTimeout(r, 2000))])));
    await backends.killAll();
    await db.destroy();
    await schema.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return out;
}

/** monitor.start → monitor.state for a lead on another backend than the call, and for one on the backend holding it. */
async function measureMonitorStart(rounds: number): Promise<Record<string, unknown>> {
  const cluster = await startCluster(3, { OFFER_TIMEOUT_MS: 30_000 }, async (services) => {
    await services.users.create({ email: 'agent@monitor.bench', name: 'Agent', role: 'agent', password: 'password-123', team: 'bench', skills: ['general', 'billing', 'orders'] });
    for (const n of ['near', 'far']) await services.users.create({ email: `${n}@monitor.bench`, name: `Lead ${n}`, role: 'lead', password: 'password-123', team: 'bench' });
  });
  const open: Array<{ close(): Promise<unknown> }> = [];
  const across: number[] = [];
  const local: number[] = [];
  try {
    const [a, b, c] = cluster.backends as [Backend, Backend, Backend];
    const signIn = async (backend: Backend, email: string) => {
      const user = await TestAgent.signIn(backend.baseUrl, email, 'password-123');
      open.push(user);
      await user.connect();
      return user;
    };
    const agent = await signIn(c, 'agent@monitor.bench');
    await agent.request({ type: 'presence.set', presence: 'available' });
    const { sessionId } = await takenCall(a, agent, '+15550400001', open);
    const near = await signIn(a, 'near@monitor.bench');
    const far = await signIn(b, 'far@monitor.bench');
    for (let i = 0; i < rounds; i++) {
      for (const [lead, out] of [
        [far, across],
        [near, local],
      ] as const) {
        lead.messages.length = 0;
        const t = performance.now();
        lead.send({ type: 'monitor.start', sessionId, mode: 'listen', requestId: `m${i}` });
        await lead.waitFor((m) => m.type === 'monitor.state' && m.sessionId === sessionId && m.mode === 'listen', 10_000);
        out.push(performance.now() - t);
        await lead.request({ type: 'monitor.stop', sessionId });
      }
    }
  } finally {
    await Promise.all(open.map((o) => Promise.race([o.close(), new Promise((r) => setTimeout(r, 2000))])));
    await cluster.close();
  }
  return {
    setup: 'three backends in one process; the caller on A, the agent on C; one lead on B (forwarded to A), one on A',
    leadOnAnotherBackend: summary(across),
    leadOnTheHoldingBackend: summary(local),
  };
}

/** Kill → new leader, in ms, over `kills` SIGKILLs of whichever of three holders leads. */
async function measureFailover(url: string, schema: string, kills: number): Promise<number[]> {
  const holderPath = fileURLToPath(new URL('../../backend/test/support/lease-holder.ts', import.meta.url));
  const leaderSince = new Map<ChildProcess, number>();
  const children = new Set<ChildProcess>();
  const start = () => {
    const child = spawn(process.execPath, ['--import', 'tsx', holderPath, url, schema, '500'], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout!.on('data', (d: Buffer) => {
      for (const line of d.toString().split('\n')) {
        const [at, what] = line.split(' ');
        if (what === 'leader') leaderSince.set(child, Number(at));
      }
    });
    children.add(child);
  };
  const waitLeader = async (): Promise<[ChildProcess, number]> => {
    // Generous: on a loaded machine a fresh holder process takes a while to start.
    const deadline = Date.now() + 90_000;
    for (;;) {
      for (const c of children) if (leaderSince.has(c)) return [c, leaderSince.get(c)!];
      if (Date.now() > deadline) throw new Error('no routing leader within 90 s');
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  const out: number[] = [];
  try {
    for (let i = 0; i < 3; i++) start();
    for (let k = 0; k < kills; k++) {
      const [leader] = await waitLeader();
      await new Promise((r) => setTimeout(r, 200 + ((k * 137) % 300)));
      const killedAt = Date.now();
      leader.kill('SIGKILL');
      children.delete(leader);
      const [, since] = await waitLeader();
      out.push(since - killedAt);
      start();
    }
  } finally {
    for (const c of children) c.kill('SIGKILL');
  }
  return out;
}
