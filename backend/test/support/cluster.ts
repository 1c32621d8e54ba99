// Several backends in one test process, as a cluster: each has its own services, app and
// NATS connection, over one PostgreSQL schema and one NATS subject prefix that no other
// run uses. The machine's PostgreSQL and NATS must run (CI starts them; see .ci/run).
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app';
import { defaultConfig } from '../../src/config/config';
import { createServices, type Services } from '../../src/runtime/services';
import { createSpeechEngines, type SpeechEngines } from '../../src/runtime/speech-engines';
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
