// The live transcript as the agent reads it, built incrementally from session events as
// they arrive (the backend's assist/transcript-lines.ts rebuilds the same view from a whole
// log). Pure and immutable so React can compare by reference and Node tests can run it.
// Rules: AI lines from `ai.said`, caller lines from `caller.said` or the recognizer's
// `transcript.final`, each spoken line once even when a voice call logs it twice; partial
// recognizer text shown greyed until its final arrives; small system lines for milestones.
import type { AnySessionEvent } from '../../../contracts/events';
import { escalationReasonLabel } from './format';

export type LineSpeaker = 'ai' | 'caller' | 'agent' | 'system';

export interface TranscriptLine {
  /** Stable React key: the event's seq (unique within a session). */
  key: string;
  seq: number;
  speaker: LineSpeaker;
  text: string;
  at: string;
  /** Where a spoken line came from, used only to drop the second copy of the same words. */
  source: 'log' | 'stt' | 'system';
  /** The line in the agent's language (transcript.translated), shown under the original. */
  translation?: { text: string; to: string };
  /** An agent line the caller heard translated and synthesized in their language. */
  spokenAs?: { text: string; to: string };
}

export interface TranscriptState {
  lines: readonly TranscriptLine[];
  /** Live recognizer text per speaker, not stored on the server. */
  partials: { caller?: string; agent?: string };
  /** Seq of the last final line per speaker; older partials are stale and dropped. */
  lastFinalSeq: { caller: number; agent: number };
}

export const emptyTranscript: TranscriptState = {
  lines: [],
  partials: {},
  lastFinalSeq: { caller: 0, agent: 0 },
};

// A filler or a tool event can sit between a recognizer final and the conversation's copy.
const DUPLICATE_WINDOW = 3;

function normalize(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim();
}

function isDuplicate(lines: readonly TranscriptLine[], line: TranscriptLine): boolean {
  const key = normalize(line.text);
  for (let i = lines.length - 1, seen = 0; i >= 0 && seen < DUPLICATE_WINDOW; i--) {
    const l = lines[i]!;
    if (l.source === 'system') continue;
    seen++;
    if (l.speaker === line.speaker && l.source !== line.source && normalize(l.text) === key) return true;
  }
  return false;
}

function withoutPartial(
  partials: TranscriptState['partials'],
  speaker: LineSpeaker,
): TranscriptState['partials'] {
  if (speaker !== 'caller' && speaker !== 'agent') return partials;
  if (partials[speaker] === undefined) return partials;
  const next = { ...partials };
  delete next[speaker];
  return next;
}

/**
 * A translation goes under its original line. When the original was the dropped second copy of
 * a spoken line (a recognizer final and the conversation's copy), it goes to the kept copy: the
 * latest line of the same speaker without a translation yet.
 */
function attachTranslation(state: TranscriptState, ofSeq: number, speaker: string, translation: { text: string; to: string }): TranscriptState {
  let index = state.lines.findIndex((l) => l.seq === ofSeq);
  if (index < 0) index = state.lines.findLastIndex((l) => l.speaker === speaker && l.source !== 'system' && !l.translation && l.seq < ofSeq + DUPLICATE_WINDOW + 1);
  if (index < 0 || state.lines[index]!.translation) return state;
  const lines = [...state.lines];
  lines[index] = { ...lines[index]!, translation };
  return { ...state, lines };
}

function appendLine(state: TranscriptState, line: TranscriptLine): TranscriptState {
  if (line.source !== 'system' && isDuplicate(state.lines, line)) {
    return { ...state, partials: withoutPartial(state.partials, line.speaker) };
  }
  const lastFinalSeq =
    line.speaker === 'caller' || line.speaker === 'agent'
      ? { ...state.lastFinalSeq, [line.speaker]: line.seq }
      : state.lastFinalSeq;
  return {
    lines: [...state.lines, line],
    partials: withoutPartial(state.partials, line.speaker),
    lastFinalSeq,
  };
}

/** Applies one stored event (already de-duplicated by seq by the caller of this function). */
export function applyTranscriptEvent(state: TranscriptState, event: AnySessionEvent): TranscriptState {
  const base = { key: String(event.seq), seq: event.seq, at: event.at };
  switch (event.type) {
    case 'ai.said':
      return appendLine(state, { ...base, speaker: 'ai', text: event.data.text, source: 'log' });
    case 'caller.said':
      return appendLine(state, { ...base, speaker: 'caller', text: event.data.text, source: 'log' });
    case 'caller.dtmf':
      return appendLine(state, {
        ...base,
        speaker: 'caller',
        text: `[pressed ${event.data.digits}]`,
        source: 'log',
      });
    case 'transcript.final':
      // The AI's words are already in the log as ai.said; a recognizer copy would double them.
      if (event.data.speaker === 'ai') return state;
      return appendLine(state, {
        ...base,
        speaker: event.data.speaker,
        text: event.data.text,
        source: 'stt',
      });
    case 'ai.interrupted': {
      // The agent should read what the caller heard, not what the AI planned to say.
      const planned = normalize(event.data.plannedText);
      for (let i = state.lines.length - 1; i >= 0; i--) {
        const line = state.lines[i]!;
        if (line.speaker === 'ai' && normalize(line.text) === planned) {
          const heard = event.data.heardText.trim();
          const lines = state.lines.slice();
          lines[i] = { ...line, text: heard ? `${heard} [cut off]` : '[cut off before the caller heard it]' };
          return { ...state, lines };
        }
      }
      return state;
    }
    case 'call.escalated':
      return appendLine(state, {
        ...base,
        speaker: 'system',
        text: `Escalated to ${event.data.queue}: ${escalationReasonLabel(event.data.reason)}${event.data.detail ? ` — ${event.data.detail}` : ''}`,
        source: 'system',
      });
    case 'identity.verified':
      return appendLine(state, {
        ...base,
        speaker: 'system',
        text: `Identity verified (${event.data.method === 'dob' ? 'date of birth' : 'ZIP code'})`,
        source: 'system',
      });
    case 'identity.verification_failed':
      return appendLine(state, {
        ...base,
        speaker: 'system',
        text: `Identity check failed (attempt ${event.data.attempt})`,
        source: 'system',
      });
    case 'state.changed':
      return appendLine(state, {
        ...base,
        speaker: 'system',
        text: `Call ${stateWording(event.data.to)}`,
        source: 'system',
      });
    case 'agent.accepted':
      return appendLine(state, {
        ...base,
        speaker: 'system',
        text: `${event.data.agentName} joined the call`,
        source: 'system',
      });
    case 'call.transferred':
      return appendLine(state, {
        ...base,
        speaker: 'system',
        text: `Transferred to ${'queue' in event.data.to ? `the ${event.data.to.queue} queue` : 'another agent'}${event.data.note ? ` — ${event.data.note}` : ''}`,
        source: 'system',
      });
    case 'call.held':
      return appendLine(state, {
        ...base,
        speaker: 'system',
        text: event.data.held ? 'Call on hold' : 'Call resumed',
        source: 'system',
      });
    case 'recording.paused':
    case 'recording.resumed':
      return appendLine(state, {
        ...base,
        speaker: 'system',
        text: event.type === 'recording.paused' ? 'Recording paused' : 'Recording resumed',
        source: 'system',
      });
    // A silent listen stays silent; the agent is told when a lead can be heard.
    case 'monitor.started':
    case 'monitor.mode_changed': {
      const mode = event.type === 'monitor.started' ? event.data.mode : event.data.to;
      const who = event.type === 'monitor.started' ? event.data.supervisorName : 'The lead';
      if (mode === 'listen') return state;
      return appendLine(state, {
        ...base,
        speaker: 'system',
        text: mode === 'whisper' ? `${who} is whispering to you (the caller cannot hear)` : `${who} joined the conversation (the caller hears them)`,
        source: 'system',
      });
    }
    case 'consult.requested':
    case 'consult.accepted':
    case 'consult.ended':
    case 'consult.completed':
    case 'conference.started':
      return appendLine(state, { ...base, speaker: 'system', text: consultLine(event), source: 'system' });
    case 'agent.dtmf':
      return appendLine(state, {
        ...base,
        speaker: 'agent',
        text: `[keyed ${event.data.digits}]`,
        source: 'log',
      });
    case 'callback.scheduled':
      return appendLine(state, {
        ...base,
        speaker: 'system',
        text: `Callback scheduled to ${event.data.phone}`,
        source: 'system',
      });
    case 'transcript.translated':
      return attachTranslation(state, event.data.ofSeq, event.data.speaker, { text: event.data.text, to: event.data.to });
    case 'caller.language':
      return appendLine(state, {
        ...base,
        speaker: 'system',
        text: event.data.requested
          ? `Caller spoke ${event.data.requested}, which is not served: continuing in ${event.data.language}`
          : `Caller's language: ${event.data.language} (${event.data.source === 'keypad' ? 'chosen by keypad' : 'identified from speech'})`,
        source: 'system',
      });
    case 'agent.spoken_translated':
      return appendLine(state, {
        ...base,
        speaker: 'agent',
        text: event.data.original,
        source: 'system',
        spokenAs: { text: event.data.text, to: event.data.to },
      });
    case 'session.ended':
      return appendLine(state, {
        ...base,
        speaker: 'system',
        text: `Call ended by ${event.data.by}${event.data.reason ? ` (${event.data.reason})` : ''}`,
        source: 'system',
      });
    default:
      return state;
  }
}

function stateWording(state: string): string {
  switch (state) {
    case 'ai':
      return 'with the AI assistant';
    case 'queued':
      return 'waiting in queue';
    case 'offered':
      return 'offered to an agent';
    case 'agent':
      return 'connected to an agent';
    case 'wrap-up':
      return 'in wrap-up';
    case 'ended':
      return 'ended';
    default:
      return `now ${state}`;
  }
}

/**
 * A live partial replaces the previous partial of the same speaker. `seq` is the last stored
 * event's seq when the server sent it: a partial older than that speaker's last final is for
 * words already finalised, so it is dropped rather than shown again.
 */
export function applyTranscriptPartial(
  state: TranscriptState,
  speaker: 'caller' | 'agent',
  text: string,
  seq: number,
): TranscriptState {
  if (seq < state.lastFinalSeq[speaker]) return state;
  const trimmed = text.trim();
  if (!trimmed) return { ...state, partials: withoutPartial(state.partials, speaker) };
  if (state.partials[speaker] === trimmed) return state;
  return { ...state, partials: { ...state.partials, [speaker]: trimmed } };
}

/** After a reconnect partials are not replayed: clear them rather than show stale words. */
export function clearPartials(state: TranscriptState): TranscriptState {
  return state.partials.caller === undefined && state.partials.agent === undefined
    ? state
    : { ...state, partials: {} };
}

const consultEndings = {
  declined: 'Consultation declined — the caller is back with the agent',
  no_answer: 'Consultation not answered — the caller is back with the agent',
  cancelled: 'Consultation ended — the caller is back with the agent',
  target_left: 'The consulted agent left — the caller is back with the agent',
  caller_left: 'The caller hung up during the consultation',
} as const;

/** One line per warm-transfer step, so the transcript tells who talked to whom while the caller held. */
function consultLine(event: AnySessionEvent): string {
  switch (event.type) {
    case 'consult.requested':
      return `Consulting ${event.data.toAgentName}${event.data.viaQueue ? ` (from the ${event.data.viaQueue} queue)` : ''} — caller on hold${event.data.note ? ` — ${event.data.note}` : ''}`;
    case 'consult.accepted':
      return 'Consultation answered';
    case 'consult.ended':
      return consultEndings[event.data.outcome];
    case 'consult.completed':
      return 'Warm transfer completed';
    case 'conference.started':
      return 'Three-way conference: the caller and both agents';
    default:
      return '';
  }
}
