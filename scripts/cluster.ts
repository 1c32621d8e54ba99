// `npm run cluster -- --instances 3 [--port 8080]`: a Switchboard cluster on one machine.
// Starts N backends on loopback ports (port+1 … port+N) against this machine's PostgreSQL
// (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/switchboard) and NATS
// (NATS_URL, default nats://127.0.0.1:4222), each with its own DATA_DIR for recordings,
// and the entry point for agents and the caller page on `port`. Ctrl+C drains and stops all.
// Without PostgreSQL or NATS it says how to get them (scripts/test-services.sh).
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { startEntryPoint } from './entry-point';

const root = fileURLToPath(new URL('..', import.meta.url));

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = target.pathname.slice(1);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString(), connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
  } catch (err) {
    throw new Error(`PostgreSQL at ${target.host} is not reachable (${(err as Error).message}). Start it (bash scripts/test-services.sh installs and starts PostgreSQL and NATS on Debian), or set DATABASE_URL.`);
  }
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount === 0 && /^[a-z_][a-z0-9_]*$/.test(name)) await client.query(`create database ${name}`);
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const instances = Number(arg('instances', '3'));
  const port = Number(arg('port', process.env.PORT ?? '8080'));
  if (!Number.isInteger(instances) || instances < 1 || instances > 16) throw new Error('--instances takes a whole number from 1 to 16.');
  const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/switchboard';
  const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
  await ensureDatabase(databaseUrl);

  const children: ChildProcess[] = [];
  const backends: string[] = [];
  // The first backend migrates and seeds; the others start once it is ready.
  for (let i = 1; i <= instances; i++) {
    const env = {
      ...process.env,
      STORE: 'postgres',
      DATABASE_URL: databaseUrl,
      BUS: 'nats',
      NATS_URL: natsUrl,
      PORT: String(port + i),
      INSTANCE_ID: `sb${i}`,
      DATA_DIR: process.env.DATA_DIR ? join(process.env.DATA_DIR, `sb${i}`) : join(root, 'data', 'cluster', `sb${i}`),
    };
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'backend/src/server.ts')], { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] });
    createInterface({ input: child.stdout! }).on('line', (line) => console.log(`[sb${i}] ${line}`));
    children.push(child);
    const url = `http://127.0.0.1:${port + i}`;
    backends.push(url);
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`backend sb${i} exited with code ${child.exitCode}; see its output above.`);
      const ok = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(1000) }).then((r) => r.ok, () => false);
      if (ok) break;
      if (Date.now() > deadline) throw new Error(`backend sb${i} was not ready within 60 s.`);
      await new Promise((r) => setTimeout(r, 300));
    }
  }
  // Calls and agents spread over every backend: routing commands are forwarded to the leader.
  const entry = await startEntryPoint(backends, port, '127.0.0.1', { prefer: 'spread' });
  console.log(`cluster: ${instances} backends (${backends.join(', ')}) on ${databaseUrl.replace(/\/\/[^@]*@/, '//')} and ${natsUrl}`);
  console.log(`cluster: entry point ${entry.url} — agents ${entry.url}/app/, callers ${entry.url}/call; new connections spread over the ready backends`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('cluster: draining every backend');
    await entry.close();
    for (const c of children) c.kill('SIGTERM');
    await Promise.all(children.map((c) => (c.exitCode !== null ? undefined : new Promise((r) => c.once('exit', r)))));
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  for (const [i, c] of children.entries()) c.on('exit', (code) => !stopping && console.log(`cluster: backend sb${i + 1} exited (${code}); the entry point moves new connections to the next ready one`));
}

main().catch((err: unknown) => {
  console.error(`cluster: ${(err as Error).message}`);
  process.exit(1);
});
