// The live wallboard: routing's in-memory snapshot (queues, agents by presence) plus the
// AI count from the ingest and today's service level from the rollups. The feed pushes a
// `wallboard` message to connected leads and admins at most every 2 s when something changed
// (a routing, presence or session event marked it dirty, or calls are waiting so their wait
// times move), and a heartbeat every 10 s otherwise so the screen's "updated" time shows the
// feed is alive.
import type { FastifyInstance } from 'fastify';
import { DEFAULT_SLA_SECONDS, type AgentPresenceName, type WallboardMessage, type WallboardSnapshot } from '../../../contracts/analytics-api';
import type { UserDirectory } from '../auth/users';
import type { RoutingSnapshot } from '../routing/router';
import type { Analytics } from './analytics';

const PRESENCES: AgentPresenceName[] = ['offline', 'available', 'on_call', 'wrap_up', 'away'];

/** Each agent's team by id, from the user directory (for the wallboard's team filter). */
export async function teamsOf(users: UserDirectory): Promise<Map<string, string>> {
  return new Map((await users.list()).map((u) => [u.id, u.team]));
}

export async function wallboardSnapshot(localRouting: RoutingSnapshot, analytics: Analytics, slaSeconds = DEFAULT_SLA_SECONDS, teams?: ReadonlyMap<string, string>): Promise<WallboardSnapshot> {
  // In a cluster, every backend's part (this one's included); alone, this backend's.
  const { routing, callsInAi } = analytics.floor?.merged() ?? { routing: localRouting, callsInAi: analytics.ingest.callsInAi() };
  const queues = Object.entries(routing.queues).map(([queue, q]) => ({ queue: queue as WallboardSnapshot['queues'][number]['queue'], waiting: q.waiting, ringing: q.ringing, longestWaitMs: q.longestWaitMs }));
  const agentsByPresence = Object.fromEntries(PRESENCES.map((p) => [p, routing.agents[p].length])) as Record<AgentPresenceName, number>;
  const agents = PRESENCES.flatMap((p) =>
    routing.agents[p].map((a) => {
      const team = teams?.get(a.id);
      return { id: a.id, name: a.name, presence: p, sinceMs: a.sinceUnknown ? null : Math.max(0, routing.at - a.since), ...(team ? { team } : {}) };
    }),
  );
  const today = await analytics.dashboards.serviceLevelToday(slaSeconds);
  return {
    at: new Date().toISOString(),
    callsInAi,
    callsInQueue: queues.reduce((s, q) => s + q.waiting, 0),
    longestWaitMs: queues.reduce((m, q) => Math.max(m, q.longestWaitMs), 0),
    queues,
    agentsByPresence,
    agents,
    serviceLevelToday: today.serviceLevel,
    answeredToday: today.answered,
    abandonedToday: today.abandoned,
    slaSeconds,
  };
}

export interface WallboardFeedOptions {
  analytics: Analytics;
  users: UserDirectory;
  intervalMs?: number;
  /** An unchanged snapshot is still re-sent this often, so "updated" under "● Live" keeps moving. */
  heartbeatMs?: number;
  /** Where to send; defaults to app.agentHub.send (cast until AgentServerMessage includes WallboardMessage). */
  send?: (userId: string, message: WallboardMessage) => void;
}

/** Starts the push feed; returns a stop function (also stopped on app close). */
export function startWallboardFeed(app: FastifyInstance, opts: WallboardFeedOptions): () => void {
  const interval = opts.intervalMs ?? 2000;
  const send = opts.send ?? ((userId: string, message: WallboardMessage) => app.agentHub.send(userId, message));
  const heartbeat = opts.heartbeatMs ?? 10_000;
  let dirty = true;
  let last = '';
  let sentAt = 0;
  let busy = false;
  const roles = new Map<string, string>();
  let teams: Map<string, string> | undefined;
  const unsubscribe = opts.analytics.ingest.onChange(() => {
    dirty = true;
  });
  const unsubscribeFloor = opts.analytics.floor?.onChange(() => {
    dirty = true;
  });
  const tick = async (): Promise<void> => {
    const routing = opts.analytics.floor?.merged().routing ?? app.desk.router.snapshot();
    const waiting = Object.values(routing.queues).some((q) => q.waiting > 0);
    const due = Date.now() - sentAt >= heartbeat;
    if (!dirty && !waiting && !due) return;
    const leads: string[] = [];
    for (const id of app.agentHub.connectedAgents()) {
      let role = roles.get(id);
      if (role === undefined) {
        role = (await opts.users.get(id))?.role ?? 'agent';
        roles.set(id, role);
      }
      if (role === 'lead' || role === 'admin') leads.push(id);
    }
    if (leads.length === 0) return;
    dirty = false;
    teams ??= await teamsOf(opts.users);
    const snapshot = await wallboardSnapshot(app.desk.router.snapshot(), opts.analytics, DEFAULT_SLA_SECONDS, teams);
    const { at: _at, ...comparable } = snapshot;
    const key = JSON.stringify(comparable);
    if (key === last && !due) return;
    last = key;
    sentAt = Date.now();
    for (const id of leads) send(id, { type: 'wallboard', snapshot });
  };
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    tick()
      .catch((err: unknown) => console.error('wallboard feed:', err))
      .finally(() => {
        busy = false;
      });
  }, interval);
  timer.unref();
  const userSub = opts.users.onChange((u) => {
    roles.set(u.id, u.role);
    teams?.set(u.id, u.team);
    dirty = true;
  });
  const stop = (): void => {
    clearInterval(timer);
    unsubscribe();
    unsubscribeFloor?.();
    userSub();
  };
  app.addHook('onClose', async () => stop());
  return stop;
}
