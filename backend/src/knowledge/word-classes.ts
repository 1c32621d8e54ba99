// Word classes from compromise's English lexicon: a plain lookup (tagging each question in
// context costs several milliseconds a turn), shared by the readers of questions and articles.
import nlp from 'compromise';

let lexicon: Record<string, string | string[]> | undefined;

/** The word classes compromise's lexicon gives a word (none for a word it does not know). */
export function lexiconTags(word: string): string[] {
  lexicon ??= compromiseLexicon();
  const tags = lexicon[word];
  return tags === undefined ? [] : Array.isArray(tags) ? tags : [tags];
}

function compromiseLexicon(): Record<string, string | string[]> {
  const world = nlp.world() as { model?: { one?: { lexicon?: Record<string, string | string[]> } } };
  return world.model?.one?.lexicon ?? {};
}
