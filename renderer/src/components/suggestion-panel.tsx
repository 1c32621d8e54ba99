// Suggested replies for the call on screen, newest set from the assist module.
import { useCallsStore } from '../state/calls-store';
import { SuggestionCard } from './suggestion-card';

export function SuggestionPanel({ sessionId }: { sessionId: string }) {
  const suggestions = useCallsStore((s) => s.calls[sessionId]?.suggestions);
  const used = useCallsStore((s) => s.calls[sessionId]?.usedSuggestionIds);
  return (
    <section className="card" aria-labelledby="suggestions-title">
      <h2 id="suggestions-title">Suggested replies</h2>
      {!suggestions || suggestions.length === 0 ? (
        <p className="muted">Suggestions appear here as the caller speaks.</p>
      ) : (
        <ul className="suggestions" aria-live="polite">
          {suggestions.map((s) => (
            <SuggestionCard
              key={s.id}
              sessionId={sessionId}
              suggestion={s}
              used={used?.includes(s.id) ?? false}
            />
          ))}
        </ul>
      )}
    </section>
  );
}
