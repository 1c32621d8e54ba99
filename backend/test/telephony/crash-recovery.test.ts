// Recovery after kill -9: a real backend (child process, real speech engines) carries two live
// calls — one with the AI, one an agent accepted — and is killed with SIGKILL. Restarted on the
// same data directory, it ends the AI call with reason `system_restart`, gives the agent their
// wrap-up back (they submit it), and repairs and links both unfinished recordings.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AgentServerMessage } from '../../../contracts/agent-channel';
import { defaultConfig } from '../../src/config/config';
import { createServices, type Services } from '../../src/runtime/services';
import { RESTART_REASON } from '../../src/telephony/crash-recovery';
import { ScriptedCaller } from '../../src/telephony/local/scripted-caller';
import { TestAgent } from '../agents/agent-client';
import { waitUntil } from './harness';

const ROOT = resolve(import.meta.dirname, '../../..');
const PASSWORD = 'agent-password-123';
const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-crash-'));
const children = new Set<ChildProcess>();

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

/** Starts `npm run backend` on the data dir; resolves with its URL once it listens. */
async function startBackend(): Promise<{ child: ChildProcess; baseUrl: string; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'backend/src/server.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', OFFER_TIMEOUT_MS: '20000' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  await waitUntil(() => /listening on (http:\/\/\S+)/.test(output) || child.exitCode !== null, 60_000, 'the backend to listen');
  const url = /listening on (http:\/\/\S+)/.exec(output)?.[1];
  if (!url) throw new Error(`backend did not start:\n${output}`);
  return { child, baseUrl: url, output: () => output };
}

async function withStore<T>(work: (services: Services) => Promise<T>): Promise<T> {
  const services = await createServices({ config: defaultConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' }) });
  try {
    return await work(services);
  } finally {
    await services.close();
  }
}

function wavSizes(path: string): { riff: number; data: number; file: number } {
  const bytes = readFileSync(path);
  return { riff: bytes.readUInt32LE(4), data: bytes.readUInt32LE(40), file: statSync(path).size };
}

describe('recovery after SIGKILL', () => {
  it('ends AI calls with system_restart, returns the agent their wrap-up, and repairs the recordings', { timeout: 180_000 }, async () => {
    await withStore((s) => s.users.create({ email: 'ana@example.com', name: 'Ana Agent', role: 'agent', password: PASSWORD, skills: ['general', 'orders', 'billing'] }));

    const first = await startBackend();
    expect(first.output()).toMatch(/capacity: \d+ concurrent calls \(derived: /);
    const ana = await TestAgent.signIn(first.baseUrl, 'ana@example.com', PASSWORD);
    await ana.connect();
    expect(await ana.request({ type: 'presence.set', presence: 'available' })).toMatchObject({ type: 'ack' });

    const withAi = new ScriptedCaller({ baseUrl: first.baseUrl, from: '+15550100001' });
    const withAgent = new ScriptedCaller({ baseUrl: first.baseUrl, from: '+15550100002', name: 'Dana Reyes' });
    await Promise.all([withAi.connect(), withAgent.connect()]);
    await Promise.all([withAi.waitForAiAudio(0, 30_000), withAgent.waitForAiAudio(0, 30_000)]);
    await waitUntil(() => withAi.sessionId !== undefined && withAgent.sessionId !== undefined, 20_000, 'session ids');
    withAgent.dtmf('0');
    const offer = await ana.waitFor<Extract<AgentServerMessage, { type: 'offer' }>>((m) => m.type === 'offer', 30_000);
    expect(await ana.request({ type: 'offer.accept', offerId: offer.offer.offerId })).toMatchObject({ type: 'ack' });
    await ana.waitFor((m) => m.type === 'call.assigned', 20_000);
    const aiSession = withAi.sessionId!;
    const agentSession = withAgent.sessionId!;
    const recordings = join(dataDir, 'recordings');
    // Both recorders have written audio (batches of 200 ms) under the "length unknown" header.
    await waitUntil(
      () => [aiSession, agentSession].every((id) => {
        try {
          return statSync(join(recordings, `${id}.wav`)).size > 44 + 16_000;
        } catch {
          return false;
        }
      }),
      20_000,
      'recordings on disk',
    );

    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    await ana.close().catch(() => undefined);
    await Promise.all([withAi.hangUp().catch(() => undefined), withAgent.hangUp().catch(() => undefined)]);

    // What kill -9 leaves: sessions open for ever, headers unfinished.
    await withStore(async (s) => {
      expect((await s.store.getSession(aiSession))?.state).toBe('ai');
      expect((await s.store.getSession(agentSession))?.state).toBe('agent');
    });
    expect(wavSizes(join(recordings, `${aiSession}.wav`)).data).toBe(0xffffffff);

    const second = await startBackend();
    expect(second.output()).toMatch(/recovered from a crash: 1 call\(s\) ended \(system_restart\), 1 returned to their agent for wrap-up, 2 recording\(s\) repaired/);

    // Nothing open without a live call, and every recording is a valid WAV linked to its session.
    // Read straight from the data dir: the running backend shares it (SQLite WAL).
    const after = await withStore(async (s) => ({ ai: await s.store.listEvents(aiSession), agent: await s.store.listEvents(agentSession) }));
    expect(after.ai.find((e) => e.type === 'session.ended')?.data).toEqual({ by: 'system', reason: RESTART_REASON });
    expect(after.agent.some((e) => e.type === 'wrapup.started')).toBe(true);
    for (const [id, events] of [[aiSession, after.ai], [agentSession, after.agent]] as const) {
      const saved = events.find((e) => e.type === 'recording.saved');
      expect(saved, `recording.saved for ${id}`).toBeTruthy();
      const sizes = wavSizes(join(recordings, `${id}.wav`));
      expect(sizes.data).toBe(sizes.file - 44);
      expect(sizes.riff).toBe(sizes.file - 8);
      expect(sizes.data % 4).toBe(0);
      expect((saved!.data as { durationMs: number }).durationMs).toBeGreaterThan(400);
    }

    // The agent signs in again and gets the wrap-up back, and can submit it.
    const again = await TestAgent.signIn(second.baseUrl, 'ana@example.com', PASSWORD);
    await again.connect();
    const wrap = await again.waitFor<Extract<AgentServerMessage, { type: 'call.state' }>>((m) => m.type === 'call.state' && m.sessionId === agentSession && m.wrapUpStartedAt !== undefined);
    expect(wrap.wrapUpDraft).toBeTruthy();
    expect(await again.request({ type: 'wrapup.submit', sessionId: agentSession, disposition: 'resolved', notes: 'cut off by a restart', followUp: { kind: 'none' } })).toMatchObject({ type: 'ack' });
    await again.close();

    second.child.kill('SIGTERM');
    await new Promise((r) => second.child.once('exit', r));
    await withStore(async (s) => {
      for (const id of [aiSession, agentSession]) expect((await s.store.getSession(id))?.state).toBe('ended');
    });
  });
});
