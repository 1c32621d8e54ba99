// The floor across backends, for the wallboard: each backend publishes its own routing
// snapshot (queues, agents by presence) and its count of calls with the AI every second;
// each merges the freshest part from every backend it still hears from. A backend silent
// for `staleMs` (killed, cut off) drops out of the sum rather than freezing it. The same
// parts carry each backend's live agent calls for supervision (supervision/supervision.ts):
// a lead anywhere sees every call their team holds.
import type { AgentPresence } from '../../../contracts/agent-channel';
import type { QueueSkill } from '../../../contracts/conversation';
import type { QueueSnapshot, RoutingSnapshot } from '../routing/router';
import type { HeldCall } from '../supervision/supervision';
import type { NatsLink } from './nats-link';

export interface FloorPart {
  instanceId: string;
  routing: RoutingSnapshot;
  callsInAi: number;
  /** The live agent calls this backend holds, with who monitors them. */
  heldCalls?: HeldCall[];
}

export interface ClusterFloorOptions {
  heartbeatMs?: number;
  staleMs?: number;
  now?: () => number;
}

/** A person is shown once, with the busiest presence any backend reports (a backend that never saw them has them offline). */
const PRESENCE_RANK: Record<AgentPresence, number> = { on_call: 4, wrap_up: 3, available: 2, away: 1, offline: 0 };

export function mergeFloor(parts: readonly FloorPart[], at: number): { routing: RoutingSnapshot; callsInAi: number } {
  const queues = {} as Record<QueueSkill, QueueSnapshot>;
  for (const part of parts) {
    for (const [skill, q] of Object.entries(part.routing.queues) as Array<[QueueSkill, QueueSnapshot]>) {
      const acc = (queues[skill] ??= { waiting: 0, ringing: 0, longestWaitMs: 0, calls: [] });
      acc.waiting += q.waiting;
      acc.ringing += q.ringing;
      acc.longestWaitMs = Math.max(acc.longestWaitMs, q.longestWaitMs);
      acc.calls.push(...q.calls);
    }
  }
  for (const q of Object.values(queues)) q.calls.sort((a, b) => b.waitedMs - a.waitedMs);
  type Agent = RoutingSnapshot['agents'][AgentPresence][number];
  const best = new Map<string, { presence: AgentPresence; agent: Agent }>();
  for (const part of parts) {
    for (const [presence, list] of Object.entries(part.routing.agents) as Array<[AgentPresence, Agent[]]>) {
      for (const agent of list) {
        const seen = best.get(agent.id);
        if (!seen || PRESENCE_RANK[presence] > PRESENCE_RANK[seen.presence] || (presence === seen.presence && agent.since > seen.agent.since)) {
          best.set(agent.id, { presence, agent });
        }
      }
    }
  }
  const agents: RoutingSnapshot['agents'] = { offline: [], available: [], on_call: [], wrap_up: [], away: [] };
  for (const { presence, agent } of best.values()) agents[presence].push(agent);
  return { routing: { at, queues, agents }, callsInAi: parts.reduce((s, p) => s + p.callsInAi, 0) };
}

export class ClusterFloor {
  readonly #link: NatsLink;
  readonly #local: () => Omit<FloorPart, 'instanceId'>;
  readonly #remote = new Map<string, { part: FloorPart; heardAt: number }>();
  readonly #listeners = new Set<() => void>();
  readonly #staleMs: number;
  readonly #now: () => number;
  readonly #timer: NodeJS.Timeout;
  readonly #unsubscribe: () => void;

  constructor(link: NatsLink, local: () => Omit<FloorPart, 'instanceId'>, opts: ClusterFloorOptions = {}) {
    this.#link = link;
    this.#local = local;
    this.#staleMs = opts.staleMs ?? 5000;
    this.#now = opts.now ?? Date.now;
    this.#unsubscribe = link.subscribe('floor', (value) => {
      const part = value as FloorPart;
      if (typeof part?.instanceId !== 'string' || part.instanceId === link.instanceId || typeof part.routing?.queues !== 'object') return;
      const before = JSON.stringify(this.#remote.get(part.instanceId)?.part ?? null);
      this.#remote.set(part.instanceId, { part, heardAt: this.#now() });
      if (JSON.stringify(part) !== before) for (const l of this.#listeners) l();
    });
    this.#timer = setInterval(() => this.#beat(), opts.heartbeatMs ?? 1000);
    this.#timer.unref();
  }

  /** Sends this backend's part now (also every heartbeat, so silence means gone). */
  publish(): void {
    const part: FloorPart = { instanceId: this.#link.instanceId, ...this.#local() };
    this.#link.publish('floor', part);
  }

  /** Hear that another backend's part changed (or that a backend dropped out). */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Backends whose parts are in the sum, this one first. */
  instances(): string[] {
    return [this.#link.instanceId, ...this.#fresh().map((p) => p.instanceId)];
  }

  /** The other backends' parts still in the sum. */
  parts(): FloorPart[] {
    return this.#fresh();
  }

  merged(): { routing: RoutingSnapshot; callsInAi: number } {
    const own: FloorPart = { instanceId: this.#link.instanceId, ...this.#local() };
    return mergeFloor([own, ...this.#fresh()], own.routing.at);
  }

  close(): void {
    clearInterval(this.#timer);
    this.#unsubscribe();
  }

  #beat(): void {
    this.publish();
    // A backend going silent sends nothing: its dropping out is noticed here.
    const before = this.#remote.size;
    if (this.#fresh().length !== before) for (const l of this.#listeners) l();
  }

  #fresh(): FloorPart[] {
    const cutoff = this.#now() - this.#staleMs;
    const out: FloorPart[] = [];
    for (const [id, r] of this.#remote) {
      if (r.heardAt < cutoff) this.#remote.delete(id);
      else out.push(r.part);
    }
    return out;
  }
}
