// One call as the agent app holds it, and how each server message about a session changes
// it. The invariant that matters: `lastSeq` is the highest stored event seq applied, a
// session.event at or below it is a replay and is dropped, so after any number of
// reconnects the transcript has no gap and no duplicate. Pure, for Node tests.
import type { AgentServerMessage, ConsultView, HandoffBriefView, SuggestionView, TranslationView } from '../../../contracts/agent-channel';
import type { QueueSkill, SessionChannel } from '../../../contracts/conversation';
import {
  applyTranscriptEvent,
  applyTranscriptPartial,
  clearPartials,
  emptyTranscript,
  type TranscriptState,
} from './transcript-reducer';

export type CallPhase = 'talking' | 'wrap_up';

export interface CallState {
  sessionId: string;
  lastSeq: number;
  channel: SessionChannel | null;
  brief: HandoffBriefView | null;
  /** AI-drafted summary; may arrive with the assignment or later, so the form reads it from here. */
  wrapUpDraft: string | null;
  /** In a cluster: the backend holding the call, where its audio leg connects (null: the signed-in server). */
  mediaUrl: string | null;
  phase: CallPhase;
  muted: boolean;
  held: boolean;
  /** The agent paused the call recording (the file records silence until resumed). */
  recordingPaused: boolean;
  wrapUpStartedAt: string | null;
  /** For the header's timers: when the agent took the call, when talk ended, hold so far. */
  talkStartedAt: string | null;
  talkEndedAt: string | null;
  holdStartedAt: string | null;
  holdMs: number;
  ended: boolean;
  transcript: TranscriptState;
  suggestions: readonly SuggestionView[];
  /** Dismissed ids stay hidden even when the server repeats a suggestion. */
  dismissedSuggestionIds: readonly string[];
  usedSuggestionIds: readonly string[];
  /** The queue the call came through last (a transfer moves it): the transfer picker starts there. */
  queue: QueueSkill | null;
  /** A warm transfer in progress on this call, from this desk's side. */
  consult: ConsultView | null;
  /** The caller speaks another language than the agent: translation on or off (and why). */
  translation: TranslationView | null;
}

export type SessionMessage = Extract<AgentServerMessage, { sessionId: string }>;

export function newCall(sessionId: string): CallState {
  return {
    sessionId,
    lastSeq: 0,
    channel: null,
    brief: null,
    wrapUpDraft: null,
    mediaUrl: null,
    phase: 'talking',
    muted: false,
    held: false,
    recordingPaused: false,
    wrapUpStartedAt: null,
    talkStartedAt: null,
    talkEndedAt: null,
    holdStartedAt: null,
    holdMs: 0,
    ended: false,
    transcript: emptyTranscript,
    suggestions: [],
    dismissedSuggestionIds: [],
    usedSuggestionIds: [],
    queue: null,
    consult: null,
    translation: null,
  };
}

export function isSessionMessage(message: AgentServerMessage): message is SessionMessage {
  return 'sessionId' in message && typeof message.sessionId === 'string';
}

/** Applies one server message to a call (creating it when absent). Returns the same object when nothing changed. */
export function applySessionMessage(call: CallState | undefined, message: SessionMessage): CallState {
  const current = call ?? newCall(message.sessionId);
  switch (message.type) {
    case 'call.assigned':
      // The assignment's seq is where the call stood when offered; the history before it still
      // comes as session.events, so lastSeq is not advanced here.
      return { ...current, brief: message.brief, wrapUpDraft: message.wrapUpDraft ?? current.wrapUpDraft, translation: message.translation ?? current.translation, mediaUrl: message.mediaUrl ?? current.mediaUrl };
    case 'session.event': {
      if (message.seq <= current.lastSeq) return current;
      const event = message.event;
      let next: CallState = {
        ...current,
        lastSeq: message.seq,
        transcript: applyTranscriptEvent(current.transcript, event),
      };
      if (event.type === 'session.started') next = { ...next, channel: event.data.channel };
      if (event.type === 'queue.entered') next = { ...next, queue: event.data.queue };
      if (event.type === 'call.escalated' && !next.queue) next = { ...next, queue: event.data.queue };
      next = applyTimerEvent(next, event);
      if (event.type === 'recording.paused') next = { ...next, recordingPaused: true };
      if (event.type === 'recording.resumed') next = { ...next, recordingPaused: false };
      if (event.type === 'session.ended') {
        next = {
          ...next,
          ended: true,
          phase: 'wrap_up',
          wrapUpStartedAt: next.wrapUpStartedAt ?? event.at,
          transcript: clearPartials(next.transcript),
        };
      }
      if (event.type === 'state.changed' && event.data.to === 'wrap-up')
        next = { ...next, phase: 'wrap_up', wrapUpStartedAt: next.wrapUpStartedAt ?? event.at };
      return next;
    }
    case 'transcript.partial': {
      const transcript = applyTranscriptPartial(
        current.transcript,
        message.speaker,
        message.text,
        message.seq,
      );
      return transcript === current.transcript && call ? current : { ...current, transcript };
    }
    case 'suggestions': {
      const hidden = new Set(current.dismissedSuggestionIds);
      return { ...current, suggestions: message.suggestions.filter((s) => !hidden.has(s.id)).slice(0, 3) };
    }
    case 'consult.state':
      return { ...current, consult: message.consult };
    case 'call.state':
      return {
        ...current,
        muted: message.muted,
        held: message.held,
        recordingPaused: message.recordingPaused ?? current.recordingPaused,
        wrapUpDraft: message.wrapUpDraft ?? current.wrapUpDraft,
        ...(message.speakTranslated !== undefined && current.translation ? { translation: { ...current.translation, speakReplies: message.speakTranslated } } : {}),
        ...(message.wrapUpStartedAt
          ? { phase: 'wrap_up' as const, wrapUpStartedAt: message.wrapUpStartedAt }
          : {}),
      };
    default:
      return current;
  }
}

/** Talk, hold and after-call times from the log's own timestamps, so a reload shows the same. */
function applyTimerEvent(call: CallState, event: Extract<SessionMessage, { type: 'session.event' }>['event']): CallState {
  const at = Date.parse(event.at);
  const closeHold = (c: CallState): CallState =>
    c.holdStartedAt ? { ...c, holdStartedAt: null, holdMs: c.holdMs + Math.max(0, at - Date.parse(c.holdStartedAt)) } : c;
  switch (event.type) {
    case 'agent.accepted':
      return call.talkStartedAt ? call : { ...call, talkStartedAt: event.at };
    case 'call.held':
      if (event.data.held) return call.holdStartedAt ? call : { ...call, holdStartedAt: event.at };
      return closeHold(call);
    case 'wrapup.started':
    case 'session.ended':
      return call.talkStartedAt && !call.talkEndedAt ? { ...closeHold(call), talkEndedAt: event.at } : closeHold(call);
    default:
      return call;
  }
}

export interface CallTimers {
  talkMs: number | null;
  holdMs: number;
  afterCallMs: number | null;
}

/** The header's timers at `nowMs`: talk excludes hold; after-call runs from wrap-up start. */
export function callTimers(call: CallState, nowMs: number): CallTimers {
  const holdMs = call.holdMs + (call.holdStartedAt ? Math.max(0, nowMs - Date.parse(call.holdStartedAt)) : 0);
  const talkEnd = call.talkEndedAt ? Date.parse(call.talkEndedAt) : nowMs;
  return {
    talkMs: call.talkStartedAt ? Math.max(0, talkEnd - Date.parse(call.talkStartedAt) - holdMs) : null,
    holdMs,
    afterCallMs: call.wrapUpStartedAt ? Math.max(0, nowMs - Date.parse(call.wrapUpStartedAt)) : null,
  };
}

/** What `hello.resume` must carry: every call still on screen and the last seq it applied. */
export function resumeList(calls: Iterable<CallState>): Array<{ sessionId: string; afterSeq: number }> {
  return [...calls].slice(0, 50).map((c) => ({ sessionId: c.sessionId, afterSeq: c.lastSeq }));
}

export function afterReconnect(call: CallState): CallState {
  const transcript = clearPartials(call.transcript);
  return transcript === call.transcript ? call : { ...call, transcript };
}

export function dismissSuggestion(call: CallState, suggestionId: string): CallState {
  return {
    ...call,
    suggestions: call.suggestions.filter((s) => s.id !== suggestionId),
    dismissedSuggestionIds: [...call.dismissedSuggestionIds, suggestionId],
  };
}

export function markSuggestionUsed(call: CallState, suggestionId: string): CallState {
  return call.usedSuggestionIds.includes(suggestionId)
    ? call
    : { ...call, usedSuggestionIds: [...call.usedSuggestionIds, suggestionId] };
}

/** The agent hung up: wrap-up starts locally at once; the server's call.state refines the start time. */
export function startLocalWrapUp(call: CallState, nowIso: string): CallState {
  // Nobody is speaking any more: a half-recognised line would never be finalised.
  return call.phase === 'wrap_up'
    ? call
    : {
        ...call,
        phase: 'wrap_up',
        wrapUpStartedAt: call.wrapUpStartedAt ?? nowIso,
        transcript: clearPartials(call.transcript),
      };
}
