// Pushes supervisor alerts to leads as they happen: every committed session event goes
// through the rules (alert-rules.ts) at once, and a one-second timer runs the timer rules
// (long hold). Who receives an alert: admins always, leads of the agent's team, or every
// lead while no agent has the call (the AI or the queue has it). Alerts are not stored:
// the event that triggered them is, and a lead reconnecting sees the live calls anew.
import { randomUUID } from 'node:crypto';
import type { AgentServerMessage } from '../../../contracts/agent-channel';
import type { AnySessionEvent } from '../../../contracts/events';
import type { SupervisorAlert } from '../../../contracts/supervision';
import type { UserDirectory } from '../auth/users';
import { AlertRules, type AlertRulesConfig, type RuleHit } from './alert-rules';
import { receivesAlert } from './monitor-access';

export interface AlertFeedOptions {
  rules: Partial<AlertRulesConfig>;
  score: (text: string) => number;
  users: UserDirectory;
  /** Hears every committed event (in a cluster, every backend's). */
  subscribe: (listener: (event: AnySessionEvent) => void) => () => void;
  /** The agent on a live call here, and the caller's name. */
  callOf: (sessionId: string) => { agentId: string | undefined; callerName: string | null } | undefined;
  send: (userId: string, message: AgentServerMessage) => void;
  connected: () => string[];
  tickMs?: number;
  now?: () => number;
}

export class AlertFeed {
  readonly #o: AlertFeedOptions;
  readonly #rules: AlertRules;
  readonly #unsubscribe: () => void;
  readonly #timer: NodeJS.Timeout;
  /** The agent last seen on each session (a raised hand names them even after a race). */
  readonly #agents = new Map<string, string>();

  constructor(options: AlertFeedOptions) {
    this.#o = options;
    this.#rules = new AlertRules(options.rules, options.score);
    const now = options.now ?? Date.now;
    this.#unsubscribe = options.subscribe((event) => {
      if (event.type === 'agent.accepted') this.#agents.set(event.sessionId, event.data.agentId);
      if (event.type === 'agent.hand_raised') this.#agents.set(event.sessionId, event.data.agentId);
      if (event.type === 'call.transferred') this.#agents.delete(event.sessionId);
      const hits = this.#rules.onEvent(event, now());
      if (event.type === 'session.ended') this.#agents.delete(event.sessionId);
      for (const hit of hits) void this.#deliver(hit).catch((err: unknown) => console.error('alert feed:', err));
    });
    this.#timer = setInterval(() => {
      for (const hit of this.#rules.tick(now())) void this.#deliver(hit).catch((err: unknown) => console.error('alert feed:', err));
    }, options.tickMs ?? 1000);
    this.#timer.unref();
  }

  async #deliver(hit: RuleHit): Promise<void> {
    const { users } = this.#o;
    const live = this.#o.callOf(hit.sessionId);
    const agentId = live?.agentId ?? this.#agents.get(hit.sessionId);
    const agent = agentId ? await users.get(agentId) : undefined;
    const alert: SupervisorAlert = {
      id: randomUUID(),
      kind: hit.kind,
      sessionId: hit.sessionId,
      message: agent ? `${agent.name}: ${hit.message}` : `With the AI or in the queue: ${hit.message}`,
      at: new Date().toISOString(),
      ...(agent ? { agentId: agent.id, agentName: agent.name, team: agent.team ?? 'default' } : {}),
      ...(live ? { callerName: live.callerName } : {}),
      ...(hit.seq !== undefined ? { seq: hit.seq } : {}),
    };
    for (const id of this.#o.connected()) {
      const viewer = await users.get(id);
      if (viewer && receivesAlert(viewer, agent ? (agent.team ?? 'default') : undefined)) this.#o.send(id, { type: 'supervision.alert', alert });
    }
  }

  close(): void {
    clearInterval(this.#timer);
    this.#unsubscribe();
  }
}
