// The agent channel: WebSocket /agent/ws?token=<bearer token>. JSON text messages both ways,
// validated with these schemas on both ends. Every server message about a session carries
// that session's sequence number (`seq`): after a reconnect the app sends the last seq it saw
// per session and receives everything after it, so no transcript line is missing or doubled.
import { z } from 'zod';
import { QueueSkill, type EscalationReason } from './conversation';
import type { AnySessionEvent } from './events';
import type { WallboardMessage } from './analytics-api';
import { MonitorMode, type LiveAgentCall, type MonitorMode as MonitorModeName, type SupervisorAlert } from './supervision';

export const AgentPresence = z.enum(['offline', 'available', 'on_call', 'wrap_up', 'away']);
export type AgentPresence = z.infer<typeof AgentPresence>;

/** Presence an agent can choose; on_call and wrap_up follow from calls. */
export const SelectablePresence = z.enum(['available', 'away', 'offline']);

const requestId = z.string().max(64).optional();
const sessionId = z.string().min(1).max(100);

export const TransferTarget = z.union([z.object({ queue: QueueSkill }), z.object({ agentId: z.string().min(1) })]);
export type TransferTarget = z.infer<typeof TransferTarget>;

export const FollowUp = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  z.object({ kind: z.literal('ticket'), subject: z.string().min(1).max(300) }),
  z.object({ kind: z.literal('callback'), phone: z.string().regex(/^\+[1-9]\d{7,14}$/), dueAt: z.string().datetime().optional() }),
]);
export type FollowUp = z.infer<typeof FollowUp>;

export const AgentClientMessage = z.discriminatedUnion('type', [
  /** First message after connecting; `resume` lists the sessions the app was showing. */
  z.object({ type: z.literal('hello'), requestId, resume: z.array(z.object({ sessionId, afterSeq: z.number().int().min(0) })).max(50).default([]) }),
  z.object({ type: z.literal('presence.set'), requestId, presence: SelectablePresence }),
  z.object({ type: z.literal('offer.accept'), requestId, offerId: z.string().min(1) }),
  z.object({ type: z.literal('offer.decline'), requestId, offerId: z.string().min(1) }),
  z.object({ type: z.literal('session.subscribe'), requestId, sessionId, afterSeq: z.number().int().min(0) }),
  z.object({ type: z.literal('call.mute'), requestId, sessionId, muted: z.boolean() }),
  z.object({ type: z.literal('call.hold'), requestId, sessionId, held: z.boolean() }),
  z.object({ type: z.literal('call.transfer'), requestId, sessionId, target: TransferTarget, note: z.string().max(1000).default('') }),
  z.object({ type: z.literal('call.dtmf'), requestId, sessionId, digits: z.string().regex(/^[0-9*#A-D]{1,32}$/) }),
  /** Pause the call recording (silence is recorded) while a caller gives payment details; resume after. */
  z.object({ type: z.literal('call.recording'), requestId, sessionId, paused: z.boolean() }),
  z.object({ type: z.literal('call.hangup'), requestId, sessionId }),
  z.object({ type: z.literal('call.dial'), requestId, phone: z.string().regex(/^\+[1-9]\d{7,14}$/) }),
  z.object({ type: z.literal('suggestion.used'), requestId, sessionId, suggestionId: z.string().min(1).max(100) }),
  z.object({ type: z.literal('suggestion.dismissed'), requestId, sessionId, suggestionId: z.string().min(1).max(100) }),
  z.object({
    type: z.literal('wrapup.submit'),
    requestId,
    sessionId,
    disposition: z.string().min(1).max(60),
    notes: z.string().max(5000),
    followUp: FollowUp.default({ kind: 'none' }),
  }),
  z.object({ type: z.literal('ping'), requestId }),
  // Supervision (contracts/supervision.ts): leads and admins only; the audio leg follows on /agent/monitor.
  z.object({ type: z.literal('monitor.start'), requestId, sessionId, mode: MonitorMode }),
  z.object({ type: z.literal('monitor.mode'), requestId, sessionId, mode: MonitorMode }),
  z.object({ type: z.literal('monitor.stop'), requestId, sessionId }),
  /** The agent asks a lead for help on this call (an alert to their team's leads); false lowers it. */
  z.object({ type: z.literal('hand.raise'), requestId, sessionId, raised: z.boolean() }),
]);
export type AgentClientMessage = z.input<typeof AgentClientMessage>;
export type ParsedAgentClientMessage = z.output<typeof AgentClientMessage>;

export interface OfferView {
  offerId: string;
  sessionId: string;
  callerName: string | null;
  callerId: string;
  queue: QueueSkill;
  reason: EscalationReason;
  /** When the caller entered the queue (ISO); the app shows the wait time from it. */
  enqueuedAt: string;
  expiresAt: string;
  transferNote?: string;
}

export interface SuggestionView {
  id: string;
  text: string;
  source: { kind: 'article'; id: string; title: string } | { kind: 'crm'; fact: string; recordId: string };
}

export interface HandoffBriefView {
  caller: { name: string | null; nameVerified: boolean; phone: string; customerId: string | null; verified: boolean; verificationMethod?: 'zip' | 'dob'; tier?: string; candidateMatch?: { name: string | null; phone: string } };
  wants: string;
  aiActions: string[];
  escalation: { reason: EscalationReason; detail: string; queue: string } | null;
  mood: 'upset' | 'negative' | 'neutral' | 'positive';
  moodTrend: 'improving' | 'steady' | 'worsening';
  flags: string[];
  transcriptTail: Array<{ speaker: string; text: string }>;
}

export type AgentServerMessage =
  | { type: 'welcome'; agent: { id: string; name: string; role: string; skills: QueueSkill[] }; presence: AgentPresence; dispositions: string[]; queues: QueueSkill[] }
  | { type: 'presence'; presence: AgentPresence }
  | { type: 'offer'; offer: OfferView }
  | { type: 'offer.revoked'; offerId: string; reason: 'expired' | 'taken' | 'caller_left' | 'presence' }
  /** The agent now holds this call: the brief is shown before the agent says a word. */
  | {
      type: 'call.assigned';
      sessionId: string;
      seq: number;
      brief: HandoffBriefView;
      wrapUpDraft?: string;
      /** In a cluster: the backend holding the call, where the agent's audio (/agent/media) connects. Absent: the same server as this channel. */
      mediaUrl?: string;
    }
  /** One stored session event, in seq order, exactly once per subscription. */
  | { type: 'session.event'; sessionId: string; seq: number; event: AnySessionEvent }
  /** A live partial transcript (not stored); `seq` is the last stored event's seq. */
  | { type: 'transcript.partial'; sessionId: string; seq: number; speaker: 'caller' | 'agent'; text: string }
  | { type: 'suggestions'; sessionId: string; seq: number; suggestions: SuggestionView[] }
  | { type: 'call.state'; sessionId: string; seq: number; muted: boolean; held: boolean; recordingPaused?: boolean; wrapUpStartedAt?: string; wrapUpDraft?: string }
  | { type: 'ack'; requestId?: string }
  | { type: 'error'; requestId?: string; code: string; message: string }
  | { type: 'pong'; requestId?: string }
  | WallboardMessage
  /** To leads and admins: the live agent calls they may monitor (sent on hello and on every change). */
  | { type: 'supervision.calls'; calls: LiveAgentCall[] }
  /** To leads and admins: something on a live call needs a look. */
  | { type: 'supervision.alert'; alert: SupervisorAlert }
  /** To the monitoring lead: the monitor's mode now, or null when it ended (with why). */
  | { type: 'monitor.state'; sessionId: string; mode: MonitorModeName | null; reason?: string }
  /** To the agent: whether their raised hand is up on this call. */
  | { type: 'hand.state'; sessionId: string; raised: boolean };
