// Several backends in one test process, as a cluster: each has its own services, app and
// NATS connection, over one PostgreSQL schema and one NATS subject prefix that no other
// run uses. The machine's PostgreSQL and NATS must run (CI starts them; see .ci/run).
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app';
import { defaultConfig } from '../../src/config/config';
import { createServices, type Services } from '../../src/runtime/services';
import { createSpeechEngines, type SpeechEngines } from '../../src/runtime/speech-engines';
import { ScriptedCaller } from '../../src/telephony/local/scripted-caller';
import type { AgentServerMessage } from '../../../contracts/agent-channel';
import type { TestAgent } from '../agents/agent-client';
import { freshSchema, type TestSchema } from './postgres';

export const TEST_NATS_URL = process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

export interface Backend {
  services: Services;
  app: FastifyInstance;
  baseUrl: string;
}

export interface TestCluster {
  backends: Backend[];
  schema: TestSchema;
  prefix: string;
  close(): Promise<void>;
}

/** `prepare` runs on the first backend's services before any app starts (users every desk should know). */
export async function startCluster(count: number, overrides: Record<string, unknown> = {}, prepare?: (services: Services) => Promise<void>): Promise<TestCluster> {
  const schema = await freshSchema('cluster');
  const prefix = `test.${randomBytes(4).toString('hex')}`;
  const config = defaultConfig({
    LOG_LEVEL: 'silent',
    RECORDINGS: false,
    DEMO_DATA: false,
    STORE: 'postgres',
    DATABASE_URL: schema.url,
    BUS: 'nats',
    NATS_URL: TEST_NATS_URL,
    ...overrides,
  });
  let speech: SpeechEngines | undefined;
  const backends: Backend[] = [];
  for (let i = 0; i < count; i++) {
    // One at a time: the first migrates the schema, the others find it current.
    const services = await createServices({ config: { ...config, INSTANCE_ID: `b${i}` }, databaseSchema: schema.schema, busPrefix: prefix, seed: 'none' });
    if (i === 0) await prepare?.(services);
    speech ??= await createSpeechEngines(config);
    const app = await buildApp(services, { speech });
    const baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
    // As server.ts does: agents' and leads' audio for calls held here joins at this address.
    if (app.peers) app.peers.mediaUrl = baseUrl;
    backends.push({ services, app, baseUrl });
  }
  return {
    backends,
    schema,
    prefix,
    async close() {
      for (const b of backends) {
        await b.app.close();
        await b.services.close();
      }
      await schema.drop();
    },
  };
}

/**
 * A caller on `callerSide` asks for an agent and `agent` (signed in and available, on any
 * backend) accepts the offer; the caller is added to `open` for teardown. The call is held
 * on `callerSide`: `mediaUrl` is where the agent's audio joins.
 */
export async function takenCall(
  callerSide: Backend,
  agent: TestAgent,
  from: string,
  open: Array<{ close(): Promise<unknown> }>,
): Promise<{ caller: ScriptedCaller; sessionId: string; mediaUrl: string | undefined }> {
  const caller = new ScriptedCaller({ baseUrl: callerSide.baseUrl, from, name: 'Dana Reyes' });
  open.push({ close: () => caller.hangUp().catch(() => undefined) });
  await caller.connect();
  await caller.waitForAiAudio(0, 30_000);
  for (const deadline = Date.now() + 10_000; !caller.sessionId; await new Promise((r) => setTimeout(r, 20))) {
    if (Date.now() > deadline) throw new Error('the caller got no session id in 10 s');
  }
  const sessionId = caller.sessionId;
  caller.dtmf('0');
  const offer = await agent.waitFor<Extract<AgentServerMessage, { type: 'offer' }>>((m) => m.type === 'offer' && m.offer.sessionId === sessionId, 30_000);
  const accepted = await agent.request({ type: 'offer.accept', offerId: offer.offer.offerId });
  if (accepted.type !== 'ack') throw new Error(`the agent could not take the call: ${JSON.stringify(accepted)}`);
  const assigned = await agent.waitFor<Extract<AgentServerMessage, { type: 'call.assigned' }>>((m) => m.type === 'call.assigned' && m.sessionId === sessionId, 20_000);
  return { caller, sessionId, mediaUrl: assigned.mediaUrl };
}
