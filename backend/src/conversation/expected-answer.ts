// What the caller's next words should be, read from what the AI just asked: the recognizer
// listens for a zip code, a date, a yes or no, or an order number with a grammar, and the
// end-of-turn detector waits for a whole answer. Anything else is open speech.
import type { ExpectedAnswer } from '../speech/types';

const YES_NO_OPENERS = /^(is|are|do|does|did|would|will|can|could|shall|should|was|were|have|has|may)\b/i;

/** The last question in an AI line decides; a line that asks nothing expects open speech. */
export function expectedAnswerFor(aiText: string): ExpectedAnswer {
  const text = aiText.toLowerCase();
  const zip = /\bzip( code)?\b|\bpostal code\b/.test(text);
  const date = /\bdate of birth\b|\bbirthday\b|\bborn\b/.test(text);
  if (zip && date) return 'zip-or-date';
  if (zip) return 'zip';
  if (date) return 'date';
  const questions = aiText.match(/[^.!?]*\?/g) ?? [];
  const last = questions[questions.length - 1]?.trim();
  if (!last) return 'open';
  if (/\border (number|id)\b|\bwhich order\b/i.test(last)) return 'order-id';
  // "Is there anything else I can help you with?" is answered "no thanks" — or with a new
  // question, which the open-model fallback still hears.
  if (YES_NO_OPENERS.test(last)) return 'yes-no';
  return 'open';
}
