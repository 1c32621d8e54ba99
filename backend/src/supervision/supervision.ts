// Supervision of live agent calls: which lead monitors which call in which mode, the
// session events for each start, mode change and stop (written to the store before anyone
// is told), the call's mixer while anyone monitors it, and the list of live agent calls each
// lead may monitor. Monitoring ends with the call (hang-up, wrap-up or a transfer away from
// the agent) and with the lead's audio leg; whatever it held (mixer, leg) is released then.
// In a cluster (BUS=nats) the mixer lives on the backend holding the call's media: a lead on
// another backend has their start, mode change and stop run there (cluster/supervision-peers.ts),
// is told that backend's media URL for the audio leg, and sees every backend's live calls.
import type { AgentServerMessage } from '../../../contracts/agent-channel';
import type { AnySessionEvent } from '../../../contracts/events';
import type { LiveAgentCall, MonitorMode } from '../../../contracts/supervision';
import type { DeskResult, LiveDeskCall } from '../agents/agent-desk';
import type { User, UserDirectory } from '../auth/users';
import type { SessionStore } from '../store/session-store';
import { CallMix } from './call-mix';
import { monitorAccess, seesLiveCall, type MonitoredCall } from './monitor-access';

/** A live agent call as the backend holding it publishes it, with who monitors it. */
export interface HeldCall extends LiveDeskCall {
  monitors: LiveAgentCall['monitors'];
}

/** A lead's monitor command, run on the backend holding the call. */
export type MonitorStep =
  | { op: 'start' | 'mode'; supervisorId: string; sessionId: string; mode: MonitorMode }
  | { op: 'stop'; supervisorId: string; sessionId: string };

/** Supervision's view of the other backends of a cluster (cluster/supervision-peers.ts). */
export interface SupervisionPeers {
  readonly instanceId: string;
  /** Where leads' audio legs join calls held on this backend. */
  readonly mediaUrl: string | undefined;
  /** The backend holding a session's media (its `sessions.instance_id`). */
  holderOf(sessionId: string): Promise<string | undefined>;
  /** Runs a monitor step on that backend; undefined when that backend is gone. */
  atHolder(instanceId: string, step: MonitorStep): Promise<DeskResult | undefined>;
  /** A message for a user whose channel may be open on another backend. */
  tell(userId: string, message: AgentServerMessage): void;
  /** The live agent calls each other backend holds, by backend (silent backends drop out). */
  elsewhere(): Map<string, HeldCall[]>;
  /** This backend's held calls changed: the others hear it now, not at the next heartbeat. */
  changed(): void;
  onChange(listener: () => void): () => void;
}

/** What supervision needs of the agent desk (AgentDesk implements it). */
export interface SupervisedDesk {
  liveCall(sessionId: string): LiveDeskCall | undefined;
  liveAgentCalls(): LiveDeskCall[];
  superviseAudio(sessionId: string, mix: CallMix | undefined): boolean;
  sendToCaller(sessionId: string, pcm16k: Int16Array): void;
  sendToAgent(sessionId: string, pcm16k: Int16Array): void;
}

export interface SupervisionOptions {
  desk: SupervisedDesk;
  users: UserDirectory;
  store: SessionStore;
  send: (userId: string, message: AgentServerMessage) => void;
  /** Users with an open agent channel (leads among them get the live call list). */
  connected: () => string[];
  /** BUS=nats: the other backends. */
  peers?: SupervisionPeers;
  /** How long a started monitor waits for the lead's audio leg (default 30 s). */
  legWaitMs?: number;
}

type StopReason = 'supervisor' | 'call_ended' | 'agent_left' | 'access_ended' | 'no_audio';

/** How long a started monitor waits for the lead's audio leg before it ends (the lead's app is gone). */
const LEG_WAIT_MS = 30_000;

interface Monitor {
  supervisorId: string;
  supervisorName: string;
  mode: MonitorMode;
  /** Closes the lead's audio leg, if one is open. */
  closeLeg?: (reason: string) => void;
  /** Ends the monitor if the lead's audio leg never connects. */
  legTimer?: NodeJS.Timeout;
}

interface MonitoredSession {
  mix: CallMix;
  monitors: Map<string, Monitor>;
}

const ok: DeskResult = { ok: true };
const fail = (code: string, message: string): DeskResult => ({ ok: false, code, message });

export class Supervision {
  readonly #o: SupervisionOptions;
  readonly #sessions = new Map<string, MonitoredSession>();
  /** Per-session tail of work so starts, mode changes and stops apply in order. */
  readonly #chains = new Map<string, Promise<unknown>>();

  /** Calls held elsewhere as last pushed to leads here, and who monitored them (to tell them if that backend goes). */
  #elsewhereSeen = '';
  #monitorsElsewhere = new Map<string, Array<{ supervisorId: string; sessionId: string }>>();
  readonly #unhearPeers: (() => void) | undefined;

  constructor(options: SupervisionOptions) {
    this.#o = options;
    options.store.subscribe((event) => this.#onEvent(event));
    this.#unhearPeers = options.peers?.onChange(() => this.#elsewhereChanged());
  }

  #inOrder<T>(sessionId: string, work: () => Promise<T>): Promise<T> {
    const run = (this.#chains.get(sessionId) ?? Promise.resolve()).then(work, work);
    const tail = run.catch(() => undefined);
    this.#chains.set(sessionId, tail);
    void tail.then(() => {
      if (this.#chains.get(sessionId) === tail) this.#chains.delete(sessionId);
    });
    return run;
  }

  async #where(sessionId: string): Promise<MonitoredCall> {
    const call = this.#o.desk.liveCall(sessionId);
    if (!call) return { stage: 'gone' };
    if (call.stage !== 'agent' || !call.agentId) return { stage: call.stage === 'agent' ? 'queue' : call.stage };
    const agent = await this.#o.users.get(call.agentId);
    return { stage: 'agent', agentId: call.agentId, agentTeam: agent?.team };
  }

  /** Calls with a mixer attached now (for tests and shutdown checks: 0 once every monitor ended). */
  get monitoredCalls(): number {
    return this.#sessions.size;
  }

  /** Whether this user monitors this call now (the audio leg may open). */
  isMonitoring(supervisorId: string, sessionId: string): boolean {
    return this.#sessions.get(sessionId)?.monitors.has(supervisorId) ?? false;
  }

  modeOf(supervisorId: string, sessionId: string): MonitorMode | undefined {
    return this.#sessions.get(sessionId)?.monitors.get(supervisorId)?.mode;
  }

  start(viewer: User, sessionId: string, mode: MonitorMode): Promise<DeskResult> {
    return this.#atHolder({ op: 'start', supervisorId: viewer.id, sessionId, mode }, () => this.#start(viewer, sessionId, mode));
  }

  setMode(viewer: User, sessionId: string, mode: MonitorMode): Promise<DeskResult> {
    return this.#atHolder({ op: 'mode', supervisorId: viewer.id, sessionId, mode }, () => this.#setMode(viewer, sessionId, mode));
  }

  stop(viewer: User, sessionId: string): Promise<DeskResult> {
    return this.#atHolder({ op: 'stop', supervisorId: viewer.id, sessionId }, () => this.#stop(viewer, sessionId));
  }

  /** A step another backend forwarded: the call is held here (or has ended), so it runs here. */
  async runHere(step: MonitorStep): Promise<DeskResult> {
    const viewer = await this.#o.users.get(step.supervisorId);
    if (!viewer) return fail('forbidden', 'Your account was not found. Sign in again.');
    if (step.op === 'start') return this.#start(viewer, step.sessionId, step.mode);
    if (step.op === 'mode') return this.#setMode(viewer, step.sessionId, step.mode);
    return this.#stop(viewer, step.sessionId);
  }

  /** Runs here when the call is here (or held by no live backend), else on the backend that holds it. */
  async #atHolder(step: MonitorStep, here: () => Promise<DeskResult>): Promise<DeskResult> {
    const peers = this.#o.peers;
    if (!peers || this.#o.desk.liveCall(step.sessionId) || this.#sessions.has(step.sessionId)) return here();
    // A call with an agent is in its holder's floor part (no store read); any other is looked up to say why it cannot be monitored.
    const listed = [...peers.elsewhere()].find(([, calls]) => calls.some((c) => c.sessionId === step.sessionId))?.[0];
    const holder = listed ?? (await peers.holderOf(step.sessionId));
    if (!holder || holder === peers.instanceId) return here();
    let result: DeskResult | undefined;
    try {
      result = await peers.atHolder(holder, step);
    } catch (err) {
      console.error('supervision: the backend holding the call did not answer:', err);
      return fail('unavailable', 'The server holding this call did not answer in time. Try again in a few seconds.');
    }
    return result ?? fail('call_ended', 'The server holding this call has stopped, so the call ended there. Pick a live call from the wallboard or the team view.');
  }

  #start(viewer: User, sessionId: string, mode: MonitorMode): Promise<DeskResult> {
    return this.#inOrder(sessionId, async () => {
      const decision = monitorAccess(viewer, await this.#where(sessionId), mode);
      if (!decision.ok) return fail(decision.code, decision.message);
      const existing = this.#sessions.get(sessionId)?.monitors.get(viewer.id);
      if (existing) return existing.mode === mode ? this.#state(viewer.id, sessionId, mode) : this.#changeMode(viewer, sessionId, existing, mode);
      await this.#o.store.appendEvent(sessionId, 'monitor.started', { supervisorId: viewer.id, supervisorName: viewer.name, mode });
      let session = this.#sessions.get(sessionId);
      if (!session) {
        const mix = new CallMix({
          toCaller: (pcm) => this.#o.desk.sendToCaller(sessionId, pcm),
          toAgent: (pcm) => this.#o.desk.sendToAgent(sessionId, pcm),
        });
        // The call may have ended while the event was written: nothing to attach to then.
        if (!this.#o.desk.superviseAudio(sessionId, mix)) {
          await this.#o.store.appendEvent(sessionId, 'monitor.stopped', { supervisorId: viewer.id, reason: 'call_ended' });
          return fail('call_ended', 'This call ended just now. Pick a live call from the wallboard or the team view.');
        }
        session = { mix, monitors: new Map() };
        this.#sessions.set(sessionId, session);
      }
      session.monitors.set(viewer.id, { supervisorId: viewer.id, supervisorName: viewer.name, mode, legTimer: this.#awaitLeg(sessionId, viewer.id) });
      // Until the lead's audio leg connects, their ear is nowhere.
      session.mix.add(viewer.id, mode, () => undefined);
      this.#listChanged();
      return this.#state(viewer.id, sessionId, mode);
    });
  }

  #setMode(viewer: User, sessionId: string, mode: MonitorMode): Promise<DeskResult> {
    return this.#inOrder(sessionId, async () => {
      const monitor = this.#sessions.get(sessionId)?.monitors.get(viewer.id);
      if (!monitor) {
        const where = await this.#where(sessionId);
        if (where.stage === 'gone') return fail('call_ended', `This call has ended, so there is nothing to ${mode} to. Pick a live call from the wallboard or the team view.`);
        return fail('not_monitoring', `You are not monitoring this call. Choose Listen first, then ${mode === 'barge' ? 'Barge' : 'Whisper'}.`);
      }
      // Access is checked again: the lead may have changed team, the agent may have left.
      const decision = monitorAccess(viewer, await this.#where(sessionId), mode);
      if (!decision.ok) {
        await this.#stopOne(sessionId, viewer.id, decision.code === 'call_ended' ? 'call_ended' : 'access_ended');
        return fail(decision.code, decision.message);
      }
      if (monitor.mode === mode) return this.#state(viewer.id, sessionId, mode);
      return this.#changeMode(viewer, sessionId, monitor, mode);
    });
  }

  async #changeMode(viewer: User, sessionId: string, monitor: Monitor, mode: MonitorMode): Promise<DeskResult> {
    const from = monitor.mode;
    await this.#o.store.appendEvent(sessionId, 'monitor.mode_changed', { supervisorId: viewer.id, from, to: mode });
    monitor.mode = mode;
    this.#sessions.get(sessionId)?.mix.setMode(viewer.id, mode);
    this.#listChanged();
    return this.#state(viewer.id, sessionId, mode);
  }

  /** Tells the lead wherever their channel is; while monitoring, where the call's audio is. */
  #state(supervisorId: string, sessionId: string, mode: MonitorMode | null, reason?: string): DeskResult {
    const mediaUrl = mode ? this.#o.peers?.mediaUrl : undefined;
    const message: AgentServerMessage = { type: 'monitor.state', sessionId, mode, ...(reason ? { reason } : {}), ...(mediaUrl ? { mediaUrl } : {}) };
    this.#o.send(supervisorId, message);
    this.#o.peers?.tell(supervisorId, message);
    return ok;
  }

  #stop(viewer: User, sessionId: string): Promise<DeskResult> {
    return this.#inOrder(sessionId, async () => {
      if (!this.isMonitoring(viewer.id, sessionId)) return this.#state(viewer.id, sessionId, null);
      await this.#stopOne(sessionId, viewer.id, 'supervisor');
      return ok;
    });
  }

  /**
   * A lead whose app started a monitor and then went away (closed, crashed, lost its network)
   * never opens the audio leg: the monitor ends rather than holding the call's mixer until
   * the call ends. Once the leg is open, its closing ends the monitor instead.
   */
  #awaitLeg(sessionId: string, supervisorId: string): NodeJS.Timeout {
    const timer = setTimeout(() => {
      void this.#inOrder(sessionId, async () => {
        const monitor = this.#sessions.get(sessionId)?.monitors.get(supervisorId);
        if (monitor && !monitor.closeLeg) await this.#stopOne(sessionId, supervisorId, 'no_audio');
      }).catch((err: unknown) => console.error('supervision:', err));
    }, this.#o.legWaitMs ?? LEG_WAIT_MS);
    timer.unref();
    return timer;
  }

  /** The lead's audio leg closed: monitoring ends with it. */
  legClosed(supervisorId: string, sessionId: string): void {
    void this.#inOrder(sessionId, async () => {
      if (this.isMonitoring(supervisorId, sessionId)) await this.#stopOne(sessionId, supervisorId, 'supervisor');
    }).catch((err: unknown) => console.error('supervision:', err));
  }

  async #stopOne(sessionId: string, supervisorId: string, reason: StopReason): Promise<void> {
    const session = this.#sessions.get(sessionId);
    const monitor = session?.monitors.get(supervisorId);
    if (!session || !monitor) return;
    // The lead stops hearing and being heard at once; the event follows.
    clearTimeout(monitor.legTimer);
    session.mix.remove(supervisorId);
    session.monitors.delete(supervisorId);
    if (session.monitors.size === 0) {
      this.#o.desk.superviseAudio(sessionId, undefined);
      this.#sessions.delete(sessionId);
    }
    await this.#o.store.appendEvent(sessionId, 'monitor.stopped', { supervisorId, reason });
    const words: Record<StopReason, string> = {
      supervisor: 'You stopped monitoring.',
      call_ended: 'The call ended; monitoring stopped.',
      agent_left: 'The agent transferred the call; monitoring stopped.',
      access_ended: 'You can no longer monitor this call.',
      no_audio: 'Your audio for this call never connected, so monitoring stopped. Choose Listen again to retry.',
    };
    monitor.closeLeg?.(words[reason]);
    this.#state(supervisorId, sessionId, null, words[reason]);
    this.#listChanged();
  }

  /** The lead's audio leg connected: it hears the mix, and its microphone feeds it. */
  attachLeg(supervisorId: string, sessionId: string, hear: (pcm16k: Int16Array) => void, close: (reason: string) => void): boolean {
    const session = this.#sessions.get(sessionId);
    const monitor = session?.monitors.get(supervisorId);
    if (!session || !monitor) return false;
    monitor.closeLeg?.('replaced by a newer audio connection');
    clearTimeout(monitor.legTimer);
    monitor.closeLeg = close;
    session.mix.setEar(supervisorId, hear);
    return true;
  }

  /** A frame of the lead's microphone. */
  supervisorSpoke(supervisorId: string, sessionId: string, pcm16k: Int16Array): void {
    this.#sessions.get(sessionId)?.mix.supervisorFrame(supervisorId, pcm16k);
  }

  #onEvent(event: AnySessionEvent): void {
    const ends: Partial<Record<AnySessionEvent['type'], StopReason>> = {
      'session.ended': 'call_ended',
      'wrapup.started': 'call_ended',
      'call.transferred': 'agent_left',
    };
    const reason = ends[event.type];
    if (reason && this.#sessions.has(event.sessionId)) {
      const { sessionId } = event;
      void this.#inOrder(sessionId, async () => {
        for (const id of [...(this.#sessions.get(sessionId)?.monitors.keys() ?? [])]) await this.#stopOne(sessionId, id, reason);
      }).catch((err: unknown) => console.error('supervision:', err));
    }
    if (reason || event.type === 'agent.accepted' || event.type === 'call.held') this.#listChanged();
  }

  /** The live agent calls held here, as the other backends are told of them. */
  heldCalls(): HeldCall[] {
    return this.#o.desk.liveAgentCalls().map((call) => ({
      ...call,
      monitors: [...(this.#sessions.get(call.sessionId)?.monitors.values() ?? [])].map((m) => ({ supervisorId: m.supervisorId, supervisorName: m.supervisorName, mode: m.mode })),
    }));
  }

  /** Calls held here changed: leads here get their lists, and the other backends hear of it. */
  #listChanged(): void {
    this.#o.peers?.changed();
    this.#pushCalls();
  }

  /**
   * Another backend's calls changed, or a backend dropped out: leads here get their lists
   * again, and a lead here who monitored a call on a backend that is gone is told it ended
   * (that backend can no longer say so; the call's media went with it).
   */
  #elsewhereChanged(): void {
    const elsewhere = this.#o.peers?.elsewhere() ?? new Map<string, HeldCall[]>();
    const connected = new Set(this.#o.connected());
    for (const [instanceId, monitors] of this.#monitorsElsewhere) {
      if (elsewhere.has(instanceId)) continue;
      for (const m of monitors) {
        if (connected.has(m.supervisorId)) {
          this.#o.send(m.supervisorId, { type: 'monitor.state', sessionId: m.sessionId, mode: null, reason: 'The server holding this call stopped; monitoring ended. Pick a live call from the wallboard or the team view.' });
        }
      }
    }
    this.#monitorsElsewhere = new Map(
      [...elsewhere].map(([id, calls]) => [id, calls.flatMap((c) => c.monitors.map((m) => ({ supervisorId: m.supervisorId, sessionId: c.sessionId })))]),
    );
    const seen = JSON.stringify([...elsewhere].sort(([a], [b]) => a.localeCompare(b)));
    if (seen === this.#elsewhereSeen) return;
    this.#elsewhereSeen = seen;
    this.#pushCalls();
  }

  /** The live agent calls this viewer may monitor. */
  async liveCallsFor(viewer: User): Promise<LiveAgentCall[]> {
    if (viewer.role !== 'admin' && viewer.role !== 'lead') return [];
    const out: LiveAgentCall[] = [];
    // Each call once: a part heard a moment ago may still list a call that just ended elsewhere, never one held here.
    const calls = new Map(this.heldCalls().map((c) => [c.sessionId, c]));
    for (const call of [...(this.#o.peers?.elsewhere().values() ?? [])].flat()) if (!calls.has(call.sessionId)) calls.set(call.sessionId, call);
    for (const call of calls.values()) {
      const agent = call.agentId ? await this.#o.users.get(call.agentId) : undefined;
      if (!agent || !seesLiveCall(viewer, agent.team)) continue;
      out.push({
        sessionId: call.sessionId,
        agentId: agent.id,
        agentName: agent.name,
        team: agent.team ?? 'default',
        callerName: call.callerName,
        callerId: call.callerId,
        since: new Date(call.acceptedAt ?? Date.now()).toISOString(),
        held: call.held,
        monitors: call.monitors,
      });
    }
    return out;
  }

  /** Sends one viewer their list (on hello). */
  async sendCalls(viewer: User): Promise<void> {
    if (viewer.role !== 'admin' && viewer.role !== 'lead') return;
    this.#o.send(viewer.id, { type: 'supervision.calls', calls: await this.liveCallsFor(viewer) });
  }

  #pushing: Promise<void> | undefined;
  #again = false;

  /** Every connected lead and admin gets their list again (coalesced: one pass at a time). */
  #pushCalls(): void {
    if (this.#pushing) {
      this.#again = true;
      return;
    }
    this.#pushing = (async () => {
      do {
        this.#again = false;
        for (const id of this.#o.connected()) {
          const user = await this.#o.users.get(id);
          if (user) await this.sendCalls(user);
        }
      } while (this.#again);
    })()
      .catch((err: unknown) => console.error('supervision:', err))
      .finally(() => {
        this.#pushing = undefined;
      });
  }

  /** Ends every monitor (server shutdown). */
  async close(): Promise<void> {
    this.#unhearPeers?.();
    for (const sessionId of [...this.#sessions.keys()]) {
      await this.#inOrder(sessionId, async () => {
        for (const id of [...(this.#sessions.get(sessionId)?.monitors.keys() ?? [])]) await this.#stopOne(sessionId, id, 'call_ended');
      }).catch(() => undefined);
    }
  }
}
