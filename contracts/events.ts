// Every session is an append-only log of these events, each with a per-session sequence
// number. The payload types are the contract between the backend that writes them and the
// clients (agent app, dashboards, simulator) that read them.
import type {
  ConversationState,
  EscalationReason,
  SessionChannel,
  Speaker,
  ToolName,
  VerificationMethod,
  QueueSkill,
} from './conversation';

export interface SessionEventPayloads {
  'session.started': { channel: SessionChannel; callerId: string; callerName?: string; direction?: 'inbound' | 'outbound'; agentId?: string };
  'state.changed': { from: ConversationState; to: ConversationState };
  /** Something the AI said to the caller. `heard` is false until a voice carrier confirms playout. */
  'ai.said': { turn: number; text: string; citations: string[]; intent?: string };
  /** What the caller actually heard of an AI reply that was cut short by barge-in or hang-up. */
  'ai.interrupted': { turn: number; heardText: string; plannedText: string; heardMs: number };
  'caller.said': { turn: number; text: string; source: 'text' | 'speech' };
  'caller.dtmf': { turn: number; digits: string };
  'tool.called': { turn: number; name: ToolName; args: Record<string, unknown>; ok: boolean; result: unknown };
  'identity.verified': { customerId: string; method: VerificationMethod };
  'identity.verification_failed': { attempt: number; method: VerificationMethod | 'unknown' };
  'call.escalated': { reason: EscalationReason; detail: string; intent: string; queue: QueueSkill; language?: string };
  /** The caller's language: identified from speech, or chosen by keypad in the greeting. `requested`
   *  is what they spoke or chose when it is not served (then `language` is the fallback). */
  'caller.language': { language: string; source: 'speech' | 'keypad'; requested?: string };
  /** A transcript line translated for the agent (`ofSeq` is the original's event). */
  'transcript.translated': { ofSeq: number; speaker: Speaker; from: string; to: string; text: string; provider: string };
  /** The agent's words, translated and synthesized to the caller in the caller's language. */
  'agent.spoken_translated': { agentId: string; original: string; from: string; to: string; text: string };
  'security.suspicious': { turn: number; text: string; patterns: string[] };
  'knowledge.gap': { turn: number; question: string; bestScore: number };
  'transcript.final': { speaker: Speaker; text: string; startMs: number; endMs: number; confidence?: number };
  'media.filler': { text: string; afterMs: number };
  'media.error': { stage: 'stt' | 'tts' | 'brain' | 'carrier'; message: string };
  'session.ended': { by: 'caller' | 'ai' | 'agent' | 'system'; reason: string };
  // Routing: a person takes over.
  'queue.entered': { queue: QueueSkill; position: number; reason: EscalationReason | 'transfer' };
  'offer.sent': { offerId: string; agentId: string; agentName: string; expiresAt: string };
  'offer.declined': { offerId: string; agentId: string };
  'offer.expired': { offerId: string; agentId: string };
  'agent.accepted': { offerId: string; agentId: string; agentName: string };
  'call.transferred': { fromAgentId: string; to: { queue: QueueSkill } | { agentId: string }; note: string };
  'hold.announced': { position: number; estimatedWaitMs: number };
  'callback.offered': { afterMs: number };
  'callback.scheduled': { callbackId: string; phone: string; customerId: string | null };
  // The agent's part of the call.
  'call.muted': { agentId: string; muted: boolean };
  'call.held': { agentId: string; held: boolean };
  'agent.dtmf': { agentId: string; digits: string };
  'suggestion.shown': { afterSeq: number; suggestions: Array<{ id: string; text: string; source: string }> };
  'suggestion.used': { agentId: string; suggestionId: string };
  'suggestion.dismissed': { agentId: string; suggestionId: string };
  'customer.note_added': { agentId: string; customerId: string; note: string };
  'wrapup.started': { agentId: string };
  'wrapup.submitted': { agentId: string; disposition: string; notes: string; followUp: { kind: string; id?: string } ; wrapUpMs: number };
  'recording.saved': { path: string; durationMs: number; channels: { left: 'caller'; right: 'ai_and_agent' } };
  /** The caller's satisfaction score (1–5), from a post-call survey when one is given. */
  'csat.recorded': { score: number };
  /** A call-back within the resume window: this session continues the caller's previous one. */
  'session.linked': { previousSessionId: string; previousStartedAt: string; summary: string; openItems: string[] };
  /** What a model spent on one AI turn (summed over its requests), and how fast it was. */
  'ai.usage': {
    turn: number;
    provider: string;
    model: string;
    inputTokens: number;
    outputTokens: number;
    requests: number;
    retries: number;
    firstTokenMs?: number;
    firstSentenceMs?: number;
    totalMs: number;
    costUsd: number;
    /** Set when the fallback brain answered this turn, with why. */
    fallback?: string;
  };
  // Recording paused by the agent (e.g. while a caller reads a card aloud); the file holds
  // silence from atMs (position in the recording) until the matching resume.
  'recording.paused': { agentId: string; atMs: number };
  'recording.resumed': { agentId: string; atMs: number };
  /** A phone carrier's status callback (Twilio: call, conference, recording), as received. */
  'carrier.status': { source: 'call' | 'conference' | 'recording'; status: string; callSid?: string; detail?: string };
  /** A recording kept by the carrier (Twilio conference recording), linked to its session. */
  'recording.linked': { recordingSid: string; url: string; durationMs: number };
  // Supervision: a lead (or admin) monitors the agent's call; see contracts/supervision.ts.
  'monitor.started': { supervisorId: string; supervisorName: string; mode: 'listen' | 'whisper' | 'barge' };
  'monitor.mode_changed': { supervisorId: string; from: 'listen' | 'whisper' | 'barge'; to: 'listen' | 'whisper' | 'barge' };
  'monitor.stopped': { supervisorId: string; reason: 'supervisor' | 'call_ended' | 'agent_left' | 'access_ended' | 'no_audio' };
  /** The agent asked a lead for help (raised) or no longer needs it. */
  'agent.hand_raised': { agentId: string; raised: boolean };
  // Warm transfer: the agent consults a colleague while the caller holds, then completes
  // (the caller goes to the colleague), cancels, or joins all three in a conference.
  'consult.requested': { consultId: string; fromAgentId: string; toAgentId: string; toAgentName: string; viaQueue?: QueueSkill; note: string };
  'consult.accepted': { consultId: string; agentId: string };
  /** The consultation is over without a handover; the caller is with the first agent again (unless they left). */
  'consult.ended': { consultId: string; outcome: 'declined' | 'no_answer' | 'cancelled' | 'target_left' | 'caller_left'; by?: string };
  /** The caller now talks to the consulted agent; the first agent went to wrap-up. */
  'consult.completed': { consultId: string; fromAgentId: string; toAgentId: string };
  'conference.started': { consultId: string; agentIds: string[] };
  /** An agent linked the account the caller names (found by CRM search); it still has to be verified. */
  'customer.linked': { agentId: string; customerId: string };
}

export type SessionEventType = keyof SessionEventPayloads;

/** Every event type, at run time. A Record so the compiler fails when the list drifts. */
const EVENT_TYPE_SET: Record<SessionEventType, true> = {
  'session.started': true,
  'state.changed': true,
  'ai.said': true,
  'ai.interrupted': true,
  'caller.said': true,
  'caller.dtmf': true,
  'tool.called': true,
  'identity.verified': true,
  'identity.verification_failed': true,
  'call.escalated': true,
  'caller.language': true,
  'transcript.translated': true,
  'agent.spoken_translated': true,
  'security.suspicious': true,
  'knowledge.gap': true,
  'transcript.final': true,
  'media.filler': true,
  'media.error': true,
  'session.ended': true,
  'queue.entered': true,
  'offer.sent': true,
  'offer.declined': true,
  'offer.expired': true,
  'agent.accepted': true,
  'call.transferred': true,
  'hold.announced': true,
  'callback.offered': true,
  'callback.scheduled': true,
  'call.muted': true,
  'call.held': true,
  'agent.dtmf': true,
  'suggestion.shown': true,
  'suggestion.used': true,
  'suggestion.dismissed': true,
  'customer.note_added': true,
  'wrapup.started': true,
  'wrapup.submitted': true,
  'recording.saved': true,
  'csat.recorded': true,
  'ai.usage': true,
  'session.linked': true,
  'recording.paused': true,
  'recording.resumed': true,
  'carrier.status': true,
  'recording.linked': true,
  'monitor.started': true,
  'monitor.mode_changed': true,
  'monitor.stopped': true,
  'agent.hand_raised': true,
  'consult.requested': true,
  'consult.accepted': true,
  'consult.ended': true,
  'consult.completed': true,
  'conference.started': true,
  'customer.linked': true,
};
export const SESSION_EVENT_TYPES = Object.keys(EVENT_TYPE_SET) as SessionEventType[];

export interface SessionEvent<T extends SessionEventType = SessionEventType> {
  sessionId: string;
  seq: number;
  type: T;
  at: string;
  data: SessionEventPayloads[T];
}

/** A stored event whose type is only known at run time (read back from the log). */
export type AnySessionEvent = { [K in SessionEventType]: SessionEvent<K> }[SessionEventType];

export function isEventOfType<T extends SessionEventType>(
  event: AnySessionEvent,
  type: T,
): event is Extract<AnySessionEvent, { type: T }> {
  return event.type === type;
}
