// One routing leader at a time (a PostgreSQL advisory lock): among competing backends
// exactly one leads; a leader that releases (drain) or is killed with SIGKILL is replaced;
// clusters on different schemas do not compete. The SIGKILL rounds are seeded: the same
// seed kills at the same moments.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RoutingLease } from '../../src/cluster/routing-lease';
import { freshSchema, type TestSchema } from '../support/postgres';

const HOLDER = fileURLToPath(new URL('../support/lease-holder.ts', import.meta.url));

async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

let schema: TestSchema;
let other: TestSchema;
beforeAll(async () => {
  schema = await freshSchema('lease');
  other = await freshSchema('lease');
  // The lock is keyed by schema: the schema must exist (a backend creates it on open).
  for (const s of [schema, other]) await (await s.open()).destroy();
}, 120_000);
afterAll(async () => {
  await schema.drop();
  await other.drop();
});

describe('routing lease', () => {
  it('exactly one of three leads; a release hands it on; another schema has its own leader', async () => {
    const leases = [0, 1, 2].map(() => new RoutingLease({ url: schema.url, schema: schema.schema, retryMs: 50 }));
    const elsewhere = new RoutingLease({ url: other.url, schema: other.schema, retryMs: 50 });
    try {
      for (const l of [...leases, elsewhere]) l.start();
      await until(() => leases.some((l) => l.leader) && elsewhere.leader, 'leaders');
      await new Promise((r) => setTimeout(r, 300));
      expect(leases.filter((l) => l.leader)).toHaveLength(1);
      const first = leases.find((l) => l.leader)!;
      await first.release();
      await until(() => leases.some((l) => l !== first && l.leader), 'a new leader');
      await new Promise((r) => setTimeout(r, 300));
      expect(leases.filter((l) => l.leader)).toHaveLength(1);
      expect(elsewhere.leader).toBe(true);
    } finally {
      for (const l of [...leases, elsewhere]) await l.release();
    }
  });

  it('seeded SIGKILLs of the leader: never two leaders, and a standby takes over every time', async () => {
    let seed = Number(process.env.LEASE_SEED ?? 20261129);
    const rand = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
    interface Holder { child: ChildProcess; spans: Array<{ from: number; to: number }>; leaderSince?: number; killedAt?: number }
    const holders: Holder[] = [];
    const spawnHolder = (): Holder => {
      const child = spawn(process.execPath, ['--import', 'tsx', HOLDER, schema.url, schema.schema], { stdio: ['ignore', 'pipe', 'inherit'] });
      const h: Holder = { child, spans: [] };
      let buf = '';
      child.stdout!.on('data', (d: Buffer) => {
        buf += d.toString();
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const [at, what] = buf.slice(0, nl).split(' ');
          buf = buf.slice(nl + 1);
          if (what === 'leader') h.leaderSince = Number(at);
          if (what === 'standby' && h.leaderSince !== undefined) {
            h.spans.push({ from: h.leaderSince, to: Number(at) });
            h.leaderSince = undefined;
          }
        }
      });
      holders.push(h);
      return h;
    };
    const leader = () => holders.find((h) => h.killedAt === undefined && h.leaderSince !== undefined);
    const failovers: number[] = [];
    try {
      for (let i = 0; i < 3; i++) spawnHolder();
      await until(() => leader() !== undefined, 'a first leader', 30_000);
      for (let round = 0; round < 4; round++) {
        await new Promise((r) => setTimeout(r, 100 + rand() * 600));
        const victim = leader()!;
        victim.killedAt = Date.now();
        victim.child.kill('SIGKILL');
        // Its leadership ends at the kill at the latest (its connection dies with it).
        victim.spans.push({ from: victim.leaderSince!, to: victim.killedAt });
        victim.leaderSince = undefined;
        await until(() => leader() !== undefined, `a new leader after kill ${round + 1}`, 15_000);
        failovers.push(leader()!.leaderSince! - victim.killedAt);
        spawnHolder(); // keep three competing
      }
      await new Promise((r) => setTimeout(r, 300));
      const now = Date.now();
      const spans = holders.flatMap((h) => [...h.spans, ...(h.leaderSince !== undefined ? [{ from: h.leaderSince, to: now }] : [])]).sort((a, b) => a.from - b.from);
      // Never two at once: each span starts after the previous one ended.
      for (let i = 1; i < spans.length; i++) expect(spans[i]!.from).toBeGreaterThanOrEqual(spans[i - 1]!.to);
      expect(failovers).toHaveLength(4);
      expect(holders.filter((h) => h.killedAt === undefined && h.leaderSince !== undefined)).toHaveLength(1);
    } finally {
      for (const h of holders) if (h.child.exitCode === null) h.child.kill('SIGKILL');
    }
  }, 90_000);
});
