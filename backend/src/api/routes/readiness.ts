// GET /readyz: whether this backend should get new work. /healthz says the process is up;
// this says its store answers, its bus link (BUS=nats) is connected and it is not draining,
// and whether it is the cluster's routing leader. A load balancer sends new work only to
// ready backends; every ready backend takes calls and agents (a standby forwards routing).
import type { FastifyInstance } from 'fastify';
import type { Drain } from '../../runtime/drain';
import type { Services } from '../../runtime/services';
import { portableSql } from '../../store/raw-sql';

const STORE_CHECK_MS = 2000;

export function readinessRoutes(services: Services, drain: Drain) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get('/readyz', async (_request, reply) => {
      const checks: Record<string, string> = {};
      checks.store = await Promise.race([
        portableSql('select 1').execute(services.db).then(() => 'ok', (err: unknown) => `unreachable: ${(err as Error).message}`),
        new Promise<string>((r) => setTimeout(() => r(`no answer in ${STORE_CHECK_MS} ms`), STORE_CHECK_MS).unref()),
      ]);
      if (services.store.waitingWrites > 0) checks.store += ` (${services.store.waitingWrites} writes of live calls waiting for the database)`;
      checks.bus = services.cluster ? (services.cluster.link.connected ? 'ok' : 'disconnected from NATS') : 'in-process';
      // Exactly one backend routes (cluster/routing-lease.ts); the others forward routing commands to it.
      checks.routing = services.cluster ? (services.cluster.lease.leader ? 'leader' : 'standby') : 'leader';
      checks.calls = drain.draining ? `draining (${drain.activeCalls()} calls left)` : `${drain.activeCalls()} live`;
      const ready = checks.store.startsWith('ok') && (checks.bus === 'ok' || checks.bus === 'in-process') && !drain.draining;
      return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', instance: services.cluster?.instanceId ?? null, checks });
    });
  };
}
