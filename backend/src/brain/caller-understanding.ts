// The local brain's reading of caller words, published for the modules that need it outside
// the brain (assist, the hold line, the tool layer): what the caller wants and the values in
// what they said. The only door into the local brain's internals; its rules and models can
// change behind it without touching the callers.
export { detectIntent, normalizeUtterance, type Intent, type IntentName } from './intents';
export { answerFromArticle } from '../knowledge/answer-sentences';
export { extractDate, extractOrderId, extractPhone, extractZip } from './slots';
