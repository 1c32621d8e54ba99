// Two requests in one turn ("where's my order, and can I return the paddle?"): where one
// ends and the next begins, each with its own intent, so the brain answers them in order.
import { detectIntent, INTENT_CONFIDENCE_THRESHOLD, type Intent, type IntentName } from '../brain/intents';
import { contentTerms } from '../knowledge/text-analysis';

// Where one request ends and the next begins: a sentence end, or "and"/"also" before a new
// question or request ("…my order, and can I return the paddle?").
const REQUEST_BOUNDARY =
  /(?<=[.?!])\s+|(?:,|;)?\s+(?:and|also|plus)(?: also)?\s+(?=(?:can|could|how|what|what's|where|where's|when|when's|will|do|does|is|are|i'd|i want|i need|please|tell)\b)/i;
/** Intents that are not a request of their own ("thanks", "yes", "hi"). */
const NOT_A_REQUEST = new Set<IntentName>(['greeting', 'affirm', 'deny', 'verify']);

/** The separate requests in one turn, each with its intent; one entry when there is one. */
export function splitRequests(text: string): Array<{ text: string; intent: Intent }> {
  if (text.length > 500) return [{ text, intent: detectIntent(text) }];
  const parts = text
    .split(REQUEST_BOUNDARY)
    .map((p) => p.trim())
    .filter((p) => p.split(/\s+/).length >= 3);
  if (parts.length < 2) return [{ text, intent: detectIntent(text) }];
  const requests = parts.map((p) => ({ text: p, intent: detectIntent(p) }));
  const real = requests.filter(
    (r, i) =>
      !NOT_A_REQUEST.has(r.intent.name) &&
      r.intent.confidence >= INTENT_CONFIDENCE_THRESHOLD &&
      // "My last order. Where is it at right now?": a part with no word of its own asks about the one before.
      (i === 0 || contentTerms(r.text).length > 0) &&
      // "where my order is and when it will arrive" is one request said twice.
      (r.intent.name === 'question' || !requests.slice(0, i).some((p) => p.intent.name === r.intent.name)),
  );
  // A goodbye beside a request is not one ("…nobody ever did. I'm done waiting around"): the
  // call ends only on a goodbye said on its own, and after the answers "anything else?" asks.
  const withoutGoodbye = real.filter((r) => r.intent.name !== 'goodbye');
  if (withoutGoodbye.length >= 2) return withoutGoodbye.slice(0, 3);
  return withoutGoodbye.length === 1 && real.length > 1 ? withoutGoodbye : [{ text, intent: detectIntent(text) }];
}
