// Recovery after a crash. When the backend starts, no call is live yet, so any session the
// store still shows as open was cut off by the previous process dying (kill -9, power loss,
// an OOM kill). Each is closed the way a clean shutdown would have closed it:
//   - a call with the AI or waiting for a person ends with reason `system_restart`;
//   - a call an agent held goes to wrap-up, and that agent gets the wrap-up back on their
//     desk (presence wrap_up, the draft when their app reconnects) so they can finish it;
//   - a call in wrap-up stays with its agent;
//   - the call's recording, left with the "length unknown" header, is repaired (sizes from
//     the file's length, a torn last frame cut) and linked with `recording.saved`.
// The local carrier cannot resume a caller's stream (the socket died with the process), so
// nothing is resumed; a carrier that can (Twilio) would resume before this runs.
//
// In a cluster (`owners`) an open session may be live on another backend: only sessions of
// backends that are gone are closed (each session records its backend), plus, at start-up,
// this backend's own from an earlier life. The recovering backend first takes the session
// over in one conditional update, so two backends never recover the same session.
import { access, open } from 'node:fs/promises';
import { join } from 'node:path';
import type { ConversationState } from '../../../contracts/conversation';
import { RECORDING_SAMPLE_RATE, stereoHeader } from '../media/call-recorder';
import type { SwitchboardDb } from '../store/database';
import type { SessionStore } from '../store/session-store';

export const RESTART_REASON = 'system_restart';

const HEADER_BYTES = 44;
const BYTES_PER_FRAME = 4; // stereo, 16-bit

export interface RecoveryDesk {
  /** Gives an agent back a wrap-up they had not submitted. */
  recoverWrapUp(agentId: string, sessionId: string): void;
}

export interface RecoveryReport {
  ended: string[];
  toWrapUp: Array<{ sessionId: string; agentId: string }>;
  recordingsRepaired: string[];
}

export interface RecoveryOptions {
  db: SwitchboardDb;
  store: SessionStore;
  desk: RecoveryDesk;
  recordingsDir?: string;
  log?: { warn(obj: object, msg: string): void };
  /** In a cluster: this backend's id, and whether another backend still answers. */
  owners?: { self: string; alive(instanceId: string): Promise<boolean> };
  /** This backend just started: its own open sessions are from before the crash. */
  startingUp?: boolean;
}

export async function recoverInterruptedCalls(o: RecoveryOptions): Promise<RecoveryReport> {
  const report: RecoveryReport = { ended: [], toWrapUp: [], recordingsRepaired: [] };
  const open = await o.db.selectFrom('sessions').select(['id', 'state', 'instance_id']).where('state', '!=', 'ended').execute();
  const aliveness = new Map<string, Promise<boolean>>();
  for (const session of open) {
    try {
      if (o.owners && !(await isOrphan(o, session.instance_id ?? null, aliveness))) continue;
      if (o.owners) {
        // Taken over in one step: whoever changes the owner first recovers it, once.
        const taken = await o.db
          .updateTable('sessions')
          .set({ instance_id: o.owners.self })
          .where('id', '=', session.id)
          .where((eb) => (session.instance_id == null ? eb('instance_id', 'is', null) : eb('instance_id', '=', session.instance_id)))
          .executeTakeFirst();
        if (Number(taken.numUpdatedRows) !== 1 && session.instance_id !== o.owners.self) continue;
      }
      await recoverOne(o, session.id, session.state as ConversationState, report);
    } catch (err) {
      // One damaged session must not keep the server from starting or the others from recovering.
      o.log?.warn({ sessionId: session.id, err: String(err) }, 'could not recover a session left open by a crash');
    }
  }
  return report;
}

async function recoverOne(o: RecoveryOptions, sessionId: string, state: ConversationState, report: RecoveryReport): Promise<void> {
  const { store } = o;
  const events = await store.listEvents(sessionId);
  const agentId = lastAgent(events);
  const recording = o.recordingsDir && !events.some((e) => e.type === 'recording.saved') ? await repairRecording(join(o.recordingsDir, `${sessionId}.wav`)) : undefined;

  if ((state === 'agent' || state === 'wrap-up') && agentId) {
    if (state === 'agent') {
      await store.appendEvent(sessionId, 'media.error', { stage: 'carrier', message: `the call was cut off by a server restart (${RESTART_REASON})` });
      await store.appendEvent(sessionId, 'state.changed', { from: 'agent', to: 'wrap-up' });
      await store.updateSession(sessionId, { state: 'wrap-up' });
      await store.appendEvent(sessionId, 'wrapup.started', { agentId });
    }
    o.desk.recoverWrapUp(agentId, sessionId);
    report.toWrapUp.push({ sessionId, agentId });
  } else {
    await store.appendEvent(sessionId, 'session.ended', { by: 'system', reason: RESTART_REASON });
    await store.appendEvent(sessionId, 'state.changed', { from: state, to: 'ended' });
    await store.updateSession(sessionId, { state: 'ended', endedAt: new Date() });
    report.ended.push(sessionId);
  }
  if (recording) {
    await store.appendEvent(sessionId, 'recording.saved', {
      path: recording.path,
      durationMs: Math.round(recording.durationMs),
      channels: { left: 'caller', right: 'ai_and_agent' },
    });
    report.recordingsRepaired.push(sessionId);
  }
}

async function isOrphan(o: RecoveryOptions, owner: string | null, aliveness: Map<string, Promise<boolean>>): Promise<boolean> {
  const owners = o.owners!;
  // Its own sessions (and unowned ones, from a lone backend's days) only at start-up: later they are live here.
  if (owner === owners.self || owner === null) return o.startingUp === true;
  let alive = aliveness.get(owner);
  if (!alive) aliveness.set(owner, (alive = owners.alive(owner)));
  return !(await alive);
}

/** The agent who held the call last: the latest accept, or the agent who dialled an outbound call. */
function lastAgent(events: Awaited<ReturnType<SessionStore['listEvents']>>): string | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.type === 'agent.accepted') return e.data.agentId;
    if (e.type === 'wrapup.started') return e.data.agentId;
    if (e.type === 'session.started' && e.data.agentId) return e.data.agentId;
  }
  return undefined;
}

/**
 * Rewrites the header of a recording whose writer died: the sizes come from the file length,
 * and a torn last frame is cut so both channels stay aligned. Undefined when there is no file.
 */
export async function repairRecording(path: string): Promise<{ path: string; durationMs: number; bytes: number } | undefined> {
  try {
    await access(path);
  } catch {
    return undefined;
  }
  const fh = await open(path, 'r+');
  try {
    const { size } = await fh.stat();
    const dataBytes = Math.max(0, Math.floor((size - HEADER_BYTES) / BYTES_PER_FRAME) * BYTES_PER_FRAME);
    await fh.write(stereoHeader(dataBytes), 0, HEADER_BYTES, 0);
    await fh.truncate(HEADER_BYTES + dataBytes);
    const frames = dataBytes / BYTES_PER_FRAME;
    return { path, durationMs: (frames / RECORDING_SAMPLE_RATE) * 1000, bytes: HEADER_BYTES + dataBytes };
  } finally {
    await fh.close();
  }
}
