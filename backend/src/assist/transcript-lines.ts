// The call's transcript as the agent reads it, rebuilt from the session log: both sides in
// order, what the caller actually heard of an interrupted AI reply, and each caller line
// once even when a voice call logs it twice (the recognizer's transcript.final, then the
// caller.said the conversation records for the same words).
import type { Speaker } from '../../../contracts/conversation';
import type { AnySessionEvent } from '../../../contracts/events';

export interface TranscriptLine {
  speaker: Speaker;
  text: string;
  /** The conversation turn, when the event carries one (transcript.final does not). */
  turn?: number;
  /** True for keyed digits, which are not words and carry no mood. */
  keyed?: boolean;
}

// How far back a duplicate can sit: a filler or a tool event may be logged between the
// recognizer's final and the conversation's caller.said.
const DUPLICATE_WINDOW = 3;

export function transcriptLines(events: readonly AnySessionEvent[]): TranscriptLine[] {
  const lines: Array<TranscriptLine & { from: 'log' | 'stt' }> = [];
  const push = (line: TranscriptLine, from: 'log' | 'stt') => {
    const key = normalize(line.text);
    const twin = lines
      .slice(-DUPLICATE_WINDOW)
      .find((l) => l.speaker === line.speaker && l.from !== from && normalize(l.text) === key);
    if (!twin) {
      lines.push({ ...line, from });
      return;
    }
    // The recognizer's copy came first but only the conversation's copy knows its turn,
    // which ties the line to the tools and answers of that turn.
    if (twin.turn === undefined && line.turn !== undefined) twin.turn = line.turn;
  };
  for (const event of events) {
    switch (event.type) {
      case 'caller.said':
        push({ speaker: 'caller', text: event.data.text, turn: event.data.turn }, 'log');
        break;
      case 'caller.dtmf':
        push({ speaker: 'caller', text: `[pressed ${event.data.digits}]`, turn: event.data.turn, keyed: true }, 'log');
        break;
      case 'ai.said':
        push({ speaker: 'ai', text: event.data.text, turn: event.data.turn }, 'log');
        break;
      case 'ai.interrupted': {
        // The agent should read what the caller heard, not what the AI planned to say.
        const planned = normalize(event.data.plannedText);
        for (let i = lines.length - 1; i >= 0; i--) {
          const line = lines[i]!;
          if (line.speaker === 'ai' && normalize(line.text) === planned) {
            const heard = event.data.heardText.trim();
            lines[i] = { ...line, text: heard ? `${heard} [cut off]` : '[cut off before the caller heard it]' };
            break;
          }
        }
        break;
      }
      case 'transcript.final':
        push({ speaker: event.data.speaker, text: event.data.text }, 'stt');
        break;
      default:
        break;
    }
  }
  return lines.map(({ from: _from, ...line }) => line);
}

function normalize(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim();
}
