// The agent desk across backends, over NATS. Routing runs on the lease holder only: a
// standby forwards routing commands to it (request/reply; during a failover, when nobody
// leads, it retries for a few seconds and then says routing is changing hands). Work on a
// call runs on the backend that holds the call's media (its `sessions.instance_id`):
// taking the call, moving its conversation, the agent's controls. Messages for an agent go
// to every backend; the one holding the agent's channel delivers them. A backend that
// becomes leader rebuilds routing from every live backend's calls and the log (desk
// `beginLeading`); one that stops leading drops its stale state.
import type { AgentDelivery, AgentDesk, DeskPeers, DeskResult, HomeStep, RoutingOp } from '../agents/agent-desk';
import { NoRoutingLeader } from '../agents/agent-desk';
import type { User, UserDirectory } from '../auth/users';
import type { SwitchboardDb } from '../store/database';
import { NoResponderError, type NatsLink } from './nats-link';
import type { RoutingLease } from './routing-lease';

export interface NatsDeskPeersOptions {
  link: NatsLink;
  lease: RoutingLease;
  db: SwitchboardDb;
  users: UserDirectory;
  /** How long a routing command waits for a leader during a failover before it is refused. Default 8 s. */
  leaderWaitMs?: number;
  /** How long one request waits for its answer. Default 5 s. */
  requestTimeoutMs?: number;
}

type Answer = { value?: unknown; error?: string } | null;

/** What a standby asks the routing leader: a routing command, or an agent's accept (decided and handed on there). */
type LeaderRequest = { op: RoutingOp; args: unknown[] } | { accept: { agentId: string; offerId: string } };

/** Session homes remembered (oldest forgotten first): far more than the calls ringing at once. */
const HOMES_REMEMBERED = 5000;

export class NatsDeskPeers implements DeskPeers {
  readonly instanceId: string;
  mediaUrl: string | undefined;
  readonly #o: NatsDeskPeersOptions;
  readonly #unhook: Array<() => void> = [];
  #stopServingRouting: (() => void) | undefined;
  #closed = false;
  #desk: AgentDesk | undefined;
  readonly #homes = new Map<string, Promise<string | undefined>>();

  constructor(opts: NatsDeskPeersOptions) {
    this.#o = opts;
    this.instanceId = opts.link.instanceId;
  }

  leader(): boolean {
    return this.#o.lease.leader;
  }

  /** Starts serving this desk to the other backends, and routing while this backend holds the lease. */
  attach(desk: AgentDesk): void {
    const { link, lease } = this.#o;
    this.#desk = desk;
    const asUser = (userId: string) => this.#user(userId);
    const runStep = async (step: HomeStep | { kind: 'state' } | { kind: 'ping' }): Promise<unknown> => {
      switch (step.kind) {
        case 'ping':
          return true;
        case 'take':
          return desk.takeHere(await asUser(step.agentId), step.offerId, step.sessionId);
        case 'move':
          return desk.moveHere(step.sessionId, step.to);
        case 'call':
          return desk.runCallOp(step.op, await asUser(step.userId), step.sessionId, step.args);
        case 'restore':
          return desk.restoreHere(await asUser(step.userId), step.alreadyFollowing, false);
        case 'state':
          return desk.stateHere();
      }
    };
    this.#unhook.push(
      link.subscribe('desk.agents', (value) => desk.deliver(value as AgentDelivery)),
      link.serve(`desk.at.${this.instanceId}`, (value) => answer(runStep(value as HomeStep))),
      link.serve('desk.all', (value) => answer(runStep(value as HomeStep))),
      lease.onChange((leading) => this.#leading(desk, leading)),
    );
    if (lease.leader) this.#leading(desk, true);
  }

  #leading(desk: AgentDesk, leading: boolean): void {
    if (this.#closed) return;
    this.#stopServingRouting?.();
    this.#stopServingRouting = undefined;
    if (!leading) return desk.endLeading();
    desk.beginLeading();
    this.#stopServingRouting = this.#o.link.serve('desk.routing', async (value) => {
      const asked = value as LeaderRequest;
      await desk.routingReady();
      if ('accept' in asked) return { value: await desk.accept(await this.#user(asked.accept.agentId), asked.accept.offerId) };
      return { value: desk.runRouting(asked.op, asked.args) ?? null };
    });
  }

  routing(op: RoutingOp, args: unknown[]): Promise<unknown> {
    return this.#atLeader({ op, args }, op, this.#o.requestTimeoutMs ?? 5000, async (desk) => {
      await desk.routingReady();
      return desk.runRouting(op, args);
    });
  }

  /**
   * An agent's accept, done by the leader: it decides and sends the take straight to the
   * call's backend, one hop fewer than answering here first. Its answer includes the take,
   * so it may wait for two requests.
   */
  acceptAtLeader(agentId: string, offerId: string): Promise<DeskResult> {
    return this.#atLeader({ accept: { agentId, offerId } }, 'accept', 2 * (this.#o.requestTimeoutMs ?? 5000), async (desk) =>
      desk.accept(await this.#user(agentId), offerId),
    ) as Promise<DeskResult>;
  }

  /** Asks the routing leader (here, if the lease came here meanwhile); waits out a failover up to `leaderWaitMs`. */
  async #atLeader(message: LeaderRequest, what: string, timeoutMs: number, here: (desk: AgentDesk) => Promise<unknown>): Promise<unknown> {
    const deadline = Date.now() + (this.#o.leaderWaitMs ?? 8000);
    for (;;) {
      if (this.leader() && this.#desk) return here(this.#desk);
      try {
        return unwrap((await this.#o.link.request('desk.routing', message, timeoutMs)) as Answer);
      } catch (err) {
        // Only "nobody leads" is retried: a command that timed out may have been done, and is not repeated.
        if (!(err instanceof NoResponderError)) throw err;
        if (!err.gone || Date.now() > deadline || this.#closed) throw new NoRoutingLeader(what);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  async #user(userId: string): Promise<User> {
    const user = await this.#o.users.get(userId);
    if (!user) throw new Error(`unknown user ${userId}`);
    return user;
  }

  /**
   * The backend holding a session's media. A session never moves (its caller's media stays
   * where it arrived), so a found answer is remembered: the desk asks while an offer rings,
   * and the accept then needs no trip to the database.
   */
  homeOf(sessionId: string): Promise<string | undefined> {
    const known = this.#homes.get(sessionId);
    if (known) return known;
    const asked = this.#o.db
      .selectFrom('sessions')
      .select('instance_id')
      .where('id', '=', sessionId)
      .executeTakeFirst()
      .then((row) => row?.instance_id ?? undefined);
    this.#homes.set(sessionId, asked);
    // Only a backend that answered is remembered; an unknown session may be asked again.
    asked.then(
      (home) => home === undefined && this.#homes.delete(sessionId),
      () => this.#homes.delete(sessionId),
    );
    if (this.#homes.size > HOMES_REMEMBERED) this.#homes.delete(this.#homes.keys().next().value!);
    return asked;
  }

  async atHome(instanceId: string, step: HomeStep): Promise<unknown> {
    return askBackend(this.#o.link, `desk.at.${instanceId}`, step, this.#o.requestTimeoutMs ?? 5000);
  }

  async everyone(step: HomeStep | { kind: 'state' }): Promise<unknown[]> {
    const answers = (await this.#o.link.gather('desk.all', step, 1000)) as Answer[];
    return answers.flatMap((a) => (a && !a.error ? [a.value] : []));
  }

  broadcast(message: AgentDelivery): void {
    this.#o.link.publish('desk.agents', message);
  }

  /** Whether a backend answers on the bus (crash recovery asks before closing its sessions). */
  async alive(instanceId: string): Promise<boolean> {
    if (instanceId === this.instanceId) return true;
    try {
      await this.#o.link.request(`desk.at.${instanceId}`, { kind: 'ping' }, 1500);
      return true;
    } catch (err) {
      // No answer in time from a loaded backend is not proof it is gone; only "nobody serves it" is.
      return !(err instanceof NoResponderError && err.gone);
    }
  }

  close(): void {
    this.#closed = true;
    this.#stopServingRouting?.();
    for (const u of this.#unhook) u();
  }
}

/** A served handler's result as the answer envelope (a throw becomes `{ error }` in NatsLink.serve). */
export function answer(work: Promise<unknown>): Promise<Answer> {
  return work.then((value) => ({ value: value ?? null }));
}

/** Asks one backend on its own subject; undefined when that backend is gone (nobody serves it). */
export async function askBackend(link: NatsLink, topic: string, value: unknown, timeoutMs: number): Promise<unknown> {
  try {
    return unwrap((await link.request(topic, value, timeoutMs)) as Answer);
  } catch (err) {
    if (err instanceof NoResponderError && err.gone) return undefined;
    throw err;
  }
}

function unwrap(answer: Answer): unknown {
  if (answer?.error) throw new Error(answer.error);
  return answer?.value ?? undefined;
}
