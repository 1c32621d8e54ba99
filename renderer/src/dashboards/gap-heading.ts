// The heading of a knowledge-gap group: the model's topic when one grouped it, otherwise the
// question as a caller asked it (the signature's stemmed words read as "gift, offer, wrapp").
// Pure, for Node tests.
import type { KnowledgeGapGroup } from '../../../contracts/analytics-api';

export function gapHeading(group: Pick<KnowledgeGapGroup, 'topic' | 'examples' | 'signature'>): string {
  if (group.topic) return group.topic;
  const asked = group.examples.find((q) => q.trim().length > 0);
  if (asked) return asked.trim();
  return group.signature === '(empty)' ? '(no shared words)' : group.signature.split('|').filter(Boolean).join(', ');
}
