// The review transcript: the same lines the agent saw live (built by the live reducer, so the
// two never disagree on what was said), each placed on the recording's time axis so the
// transcript can follow playback and a click can seek. Pure, for Node tests.
//
// Where the times come from (the recording starts when the voice call starts, i.e. at
// `session.started`, and the caller's frames are its clock):
// - caller `transcript.final`: startMs/endMs are recognizer stream time, which is the
//   caller's audio and so the recording's own clock: used as they are.
// - agent `transcript.final`: the agent's recognizer stream starts when the agent's audio leg
//   connects, not at the call's start, so its startMs is not recording time. The event is
//   logged as soon as the utterance is recognised: its end is placed at the event's `at`
//   (relative to session start) and its start the utterance's length before that.
// - AI lines (`ai.said`) and typed lines carry no stream time: they start at the event's `at`
//   relative to session start (the reply is logged as it starts to play) and last an estimate
//   from their length, cut short where the next line begins.
// - System lines (escalation, holds…) have a point in time only: clickable, never highlighted.
import type { AnySessionEvent } from '../../../contracts/events';
import { applyTranscriptEvent, emptyTranscript, type TranscriptLine } from '../state/transcript-reducer';

export interface TimedLine extends TranscriptLine {
  /** Position in the recording, ms. */
  startMs: number;
  /** End in the recording, ms; equal to startMs for system lines. */
  endMs: number;
  /** True when the time is estimated from the event time rather than measured audio. */
  estimated: boolean;
}

/** Speaking pace used to estimate how long an AI line plays (flite speaks ~14 chars/s). */
const MS_PER_CHAR = 70;
const MIN_LINE_MS = 800;

export function sessionOrigin(events: readonly AnySessionEvent[]): number {
  const started = events.find((e) => e.type === 'session.started') ?? events[0];
  return started ? Date.parse(started.at) : 0;
}

export function buildTimedTranscript(events: readonly AnySessionEvent[]): TimedLine[] {
  let state = emptyTranscript;
  for (const e of events) state = applyTranscriptEvent(state, e);
  const bySeq = new Map(events.map((e) => [e.seq, e]));
  const origin = sessionOrigin(events);
  const rel = (iso: string) => Math.max(0, Date.parse(iso) - origin);

  const timed: TimedLine[] = state.lines.map((line) => {
    const event = bySeq.get(line.seq);
    const at = rel(line.at);
    if (event?.type === 'transcript.final') {
      const length = Math.max(0, event.data.endMs - event.data.startMs);
      if (event.data.speaker === 'caller')
        return { ...line, startMs: event.data.startMs, endMs: event.data.endMs, estimated: false };
      return { ...line, startMs: Math.max(0, at - length), endMs: at, estimated: true };
    }
    if (line.speaker === 'system') return { ...line, startMs: at, endMs: at, estimated: true };
    return { ...line, startMs: at, endMs: at + Math.max(MIN_LINE_MS, line.text.length * MS_PER_CHAR), estimated: true };
  });

  // An estimated spoken line ends where the next spoken line starts, if that is sooner.
  const spoken = timed.filter((l) => l.speaker !== 'system').sort((a, b) => a.startMs - b.startMs);
  for (let i = 0; i < spoken.length - 1; i++) {
    const line = spoken[i]!;
    const next = spoken[i + 1]!;
    if (line.estimated && next.startMs > line.startMs && next.startMs < line.endMs) line.endMs = next.startMs;
  }
  return timed.sort((a, b) => a.startMs - b.startMs || a.seq - b.seq);
}

/**
 * Index of the spoken line playing at `ms` (lines sorted by startMs), or -1 in a pause.
 * Binary search for the last line starting at or before `ms`, then a short look back for
 * a longer line that still covers it (overlapping speech, barge-in).
 */
export function activeLineIndex(lines: readonly TimedLine[], ms: number): number {
  let lo = 0;
  let hi = lines.length - 1;
  let last = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (lines[mid]!.startMs <= ms) {
      last = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  for (let i = last, looked = 0; i >= 0 && looked < 8; i--, looked++) {
    const line = lines[i]!;
    if (line.speaker !== 'system' && line.startMs <= ms && ms < line.endMs) return i;
  }
  return -1;
}
