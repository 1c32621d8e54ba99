// Real backend processes for cluster tests: each `node --import tsx server.ts` over one
// PostgreSQL schema and one NATS subject prefix. Every process started here is killed by
// `killAll` (SIGKILL, bounded wait), so a test's teardown cannot hang on a backend.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TEST_NATS_URL } from './cluster';
import type { TestSchema } from './postgres';

const SERVER = fileURLToPath(new URL('../../src/server.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

export interface BackendProcess {
  id: string;
  child: ChildProcess;
  url: string;
  /** What the process wrote to stderr (for failure messages). */
  stderr(): string;
}

export class BackendProcesses {
  readonly all: BackendProcess[] = [];
  constructor(
    readonly schema: TestSchema,
    readonly dataDir: string,
    readonly env: Record<string, string> = {},
  ) {}

  async start(id: string, env: Record<string, string> = {}): Promise<BackendProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', SERVER], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        PORT: '0',
        HOST: '127.0.0.1',
        STORE: 'postgres',
        DATABASE_URL: this.schema.url,
        DATABASE_SCHEMA: this.schema.schema,
        BUS: 'nats',
        NATS_URL: TEST_NATS_URL,
        NATS_SUBJECT_PREFIX: `test.${this.schema.schema}`,
        INSTANCE_ID: id,
        DATA_DIR: join(this.dataDir, id),
        DEMO_DATA: 'false',
        RECORDINGS: 'false',
        LOG_LEVEL: 'error',
        ...this.env,
        ...env,
      },
    });
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const proc: BackendProcess = { id, child, url: '', stderr: () => err };
    // Registered before it is up: a start that fails half-way is still killed at teardown.
    this.all.push(proc);
    proc.url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /listening on (http:\/\/[0-9.:]+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.once('exit', (code) => reject(new Error(`backend ${id} exited (${code}): ${err.slice(-500)}`)));
    });
    return proc;
  }

  alive(): BackendProcess[] {
    return this.all.filter((p) => p.child.exitCode === null && p.child.signalCode === null);
  }

  /** The backend holding the routing lease now, if any. */
  async leader(): Promise<BackendProcess | undefined> {
    for (const p of this.alive()) {
      if (!p.url) continue;
      const body = await fetch(`${p.url}/readyz`, { signal: AbortSignal.timeout(2000) }).then(
        (r) => r.json() as Promise<{ checks: { routing: string } }>,
        () => undefined,
      );
      if (body?.checks.routing === 'leader') return p;
    }
    return undefined;
  }

  async kill(p: BackendProcess): Promise<void> {
    if (p.child.exitCode !== null || p.child.signalCode !== null) return;
    const gone = new Promise((r) => p.child.once('exit', r));
    p.child.kill('SIGKILL');
    await Promise.race([gone, new Promise((r) => setTimeout(r, 5000))]);
  }

  async killAll(): Promise<void> {
    await Promise.all(this.all.map((p) => this.kill(p)));
  }
}

/** Polls until `check` gives a value, or fails naming what it waited for. */
export async function until<T>(check: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
