// Supervision across backends, over NATS: a lead's monitor start, mode change and stop run on
// the backend holding the call's media (its `sessions.instance_id`), which keeps the mixer
// and the lead's audio leg; what it tells the lead goes to whichever backend holds the lead's
// channel. Each backend's live agent calls ride on its cluster-floor part, so a lead anywhere
// lists them; a backend that falls silent drops out with its part.
import type { AgentServerMessage } from '../../../contracts/agent-channel';
import type { DeskResult } from '../agents/agent-desk';
import type { HeldCall, MonitorStep, Supervision, SupervisionPeers } from '../supervision/supervision';
import type { ClusterFloor } from './cluster-floor';
import { answer, askBackend, type NatsDeskPeers } from './desk-peers';
import type { NatsLink } from './nats-link';

export interface NatsSupervisionPeersOptions {
  link: NatsLink;
  desk: NatsDeskPeers;
  floor: ClusterFloor;
  /** How long a forwarded step waits for the holding backend. Default 5 s. */
  requestTimeoutMs?: number;
}

export class NatsSupervisionPeers implements SupervisionPeers {
  readonly #o: NatsSupervisionPeersOptions;
  #stopServing: (() => void) | undefined;

  constructor(opts: NatsSupervisionPeersOptions) {
    this.#o = opts;
  }

  get instanceId(): string {
    return this.#o.link.instanceId;
  }

  /** The address this backend listens on is known only once it listens (server.ts sets it on the desk peers). */
  get mediaUrl(): string | undefined {
    return this.#o.desk.mediaUrl;
  }

  /** Runs the monitor steps other backends forward for calls held here. */
  serve(supervision: Supervision): void {
    this.#stopServing = this.#o.link.serve(`supervision.at.${this.instanceId}`, (value) => answer(supervision.runHere(value as MonitorStep)));
  }

  holderOf(sessionId: string): Promise<string | undefined> {
    return this.#o.desk.homeOf(sessionId);
  }

  async atHolder(instanceId: string, step: MonitorStep): Promise<DeskResult | undefined> {
    return (await askBackend(this.#o.link, `supervision.at.${instanceId}`, step, this.#o.requestTimeoutMs ?? 5000)) as DeskResult | undefined;
  }

  tell(userId: string, message: AgentServerMessage): void {
    this.#o.desk.broadcast({ kind: 'notify', agentId: userId, message });
  }

  elsewhere(): Map<string, HeldCall[]> {
    return new Map(this.#o.floor.parts().map((p) => [p.instanceId, p.heldCalls ?? []]));
  }

  changed(): void {
    this.#o.floor.publish();
  }

  onChange(listener: () => void): () => void {
    return this.#o.floor.onChange(listener);
  }

  close(): void {
    this.#stopServing?.();
  }
}
