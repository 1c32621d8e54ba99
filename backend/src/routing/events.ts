// Everything routing does is announced as one of these events, through the `onEvent`
// callback the integrator injects. Session-level events (those that carry a sessionId and
// belong in that call's log) are listed in `sessionRoutingEventTypes`; the rest are for
// agent UIs and wallboards only.
import type { EscalationReason, QueueSkill } from '../../../contracts/conversation';
import type { AgentPresence } from './presence';

/** Why a call left routing without (or after) an agent: the caller hung up, took a callback, or was answered elsewhere. */
export type RemoveReason = 'caller_left' | 'callback' | 'answered';

/** Why a presence changed: the agent asked, or routing moved them as part of a call's life. */
export type PresenceCause = 'agent' | 'missed_offer' | 'accepted' | 'call_ended' | 'transferred' | 'consult';

/** Why a live offer was withdrawn before the agent answered it. */
export type RevokeReason = 'agent_unavailable' | 'call_gone';

export type TransferTarget = { queue: QueueSkill } | { agentId: string };

export type RoutingEvent =
  | { type: 'queue.entered'; sessionId: string; queue: QueueSkill; position: number; transferred: boolean }
  | { type: 'queue.left'; sessionId: string; queue: QueueSkill; why: RemoveReason; waitedMs: number }
  | {
      type: 'offer.sent';
      sessionId: string;
      offerId: string;
      agentId: string;
      expiresAt: number;
      queue: QueueSkill;
      callerName: string;
      reason: EscalationReason;
      /** True when a transfer named this agent; such a call falls back to its queue if not taken. */
      direct: boolean;
      transferNote?: string;
    }
  | { type: 'offer.declined'; sessionId: string; offerId: string; agentId: string }
  | { type: 'offer.expired'; sessionId: string; offerId: string; agentId: string }
  | { type: 'offer.revoked'; sessionId: string; offerId: string; agentId: string; reason: RevokeReason }
  | { type: 'agent.accepted'; sessionId: string; offerId: string; agentId: string; waitedMs: number }
  | { type: 'call.transferred'; sessionId: string; fromAgentId: string; to: TransferTarget; note: string }
  /** The agent no longer holds the call: they ended it, or the caller left while talking to them. */
  | { type: 'call.released'; sessionId: string; agentId: string; why: 'agent_ended' | RemoveReason; handledMs: number }
  | { type: 'presence.changed'; agentId: string; presence: AgentPresence; previous: AgentPresence; cause: PresenceCause };

export type RoutingEventType = RoutingEvent['type'];

/** The events that belong in a session's append-only log (the others are agent-UI only). */
export const sessionRoutingEventTypes = [
  'queue.entered',
  'queue.left',
  'offer.sent',
  'offer.declined',
  'offer.expired',
  'agent.accepted',
  'call.transferred',
  'call.released',
] as const satisfies readonly RoutingEventType[];

export type SessionRoutingEvent = Extract<RoutingEvent, { type: (typeof sessionRoutingEventTypes)[number] }>;

export function isSessionRoutingEvent(event: RoutingEvent): event is SessionRoutingEvent {
  return (sessionRoutingEventTypes as readonly string[]).includes(event.type);
}
