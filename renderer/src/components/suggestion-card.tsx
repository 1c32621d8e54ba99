// One suggested reply with where it comes from (a knowledge article or a CRM fact), and the
// three things an agent does with it: copy, mark as used, dismiss.
import { useState } from 'react';
import type { SuggestionView } from '../../../contracts/agent-channel';
import { desk } from '../state/desk';

export function SuggestionCard({
  sessionId,
  suggestion,
  used,
}: {
  sessionId: string;
  suggestion: SuggestionView;
  used: boolean;
}) {
  const [copied, setCopied] = useState<'idle' | 'copied' | 'failed'>('idle');
  const source =
    suggestion.source.kind === 'article'
      ? `Article: ${suggestion.source.title}`
      : `CRM: ${suggestion.source.fact}`;
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(suggestion.text);
      setCopied('copied');
    } catch {
      // Clipboard needs a secure context and focus; say so instead of failing quietly.
      setCopied('failed');
    }
    setTimeout(() => setCopied('idle'), 2000);
  };
  return (
    <li className={`suggestion${used ? ' suggestion-used' : ''}`}>
      <p className="suggestion-text">{suggestion.text}</p>
      <p className="suggestion-source muted">{source}</p>
      <div className="suggestion-actions">
        <button type="button" className="btn btn-small" onClick={() => void copy()}>
          {copied === 'copied' ? 'Copied' : copied === 'failed' ? 'Copy failed — select the text' : 'Copy'}
        </button>
        <button
          type="button"
          className="btn btn-small"
          disabled={used}
          onClick={() => void desk.suggestionUsed(sessionId, suggestion.id)}
        >
          {used ? 'Used ✓' : 'Mark as used'}
        </button>
        <button
          type="button"
          className="btn btn-ghost btn-small"
          onClick={() => void desk.suggestionDismissed(sessionId, suggestion.id)}
          aria-label={`Dismiss suggestion: ${suggestion.text.slice(0, 40)}`}
        >
          Dismiss
        </button>
      </div>
    </li>
  );
}
