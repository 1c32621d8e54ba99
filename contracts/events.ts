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
  'session.started': { channel: SessionChannel; callerId: string; callerName?: string };
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
  'call.escalated': { reason: EscalationReason; detail: string; intent: string; queue: QueueSkill };
  'security.suspicious': { turn: number; text: string; patterns: string[] };
  'knowledge.gap': { turn: number; question: string; bestScore: number };
  'transcript.final': { speaker: Speaker; text: string; startMs: number; endMs: number; confidence?: number };
  'media.filler': { text: string; afterMs: number };
  'media.error': { stage: 'stt' | 'tts' | 'brain' | 'carrier'; message: string };
  'session.ended': { by: 'caller' | 'ai' | 'agent' | 'system'; reason: string };
}

export type SessionEventType = keyof SessionEventPayloads;

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
