// What the caller page shows about where the call stands: with the AI, in the queue (with
// position and estimated wait), connected to an agent (first name only), or ended. Derived
// from the session's own events so the page follows the call the desk and leads see.
import type { AnySessionEvent } from '../../../../contracts/events';

export type CallerStatus =
  | { phase: 'ai' }
  | { phase: 'queued'; position: number | null; estimatedWaitMs: number | null }
  | { phase: 'agent'; agentFirstName: string }
  | { phase: 'ended' };

/** Folds a session's events, oldest first, into the caller's view of the call. */
export function callerStatus(events: readonly AnySessionEvent[]): CallerStatus {
  let status: CallerStatus = { phase: 'ai' };
  for (const e of events) {
    switch (e.type) {
      case 'queue.entered':
        status = { phase: 'queued', position: e.data.position, estimatedWaitMs: null };
        break;
      case 'hold.announced':
        if (status.phase === 'queued') status = { phase: 'queued', position: e.data.position, estimatedWaitMs: e.data.estimatedWaitMs };
        break;
      case 'agent.accepted':
        // Only the first name reaches the caller: enough to greet, nothing more about staff.
        status = { phase: 'agent', agentFirstName: e.data.agentName.trim().split(/\s+/)[0] || 'an agent' };
        break;
      case 'call.transferred':
        if ('queue' in e.data.to) status = { phase: 'queued', position: null, estimatedWaitMs: null };
        break;
      case 'session.ended':
        status = { phase: 'ended' };
        break;
      default:
        break;
    }
  }
  return status;
}
