// Every event of the session in order, typed and readable, filterable by kind; tool calls,
// suggestions and other payloads expand on demand. Times are from the session's start and
// seek the recording when there is one.
import { useState } from 'react';
import { formatDuration } from '../state/format';
import { timelineKindLabels, type TimelineEntry, type TimelineKind } from './timeline';

export function EventTimeline({ entries, onSeek }: { entries: readonly TimelineEntry[]; onSeek: ((ms: number) => void) | null }) {
  const kinds = [...new Set(entries.map((e) => e.kind))];
  const [hidden, setHidden] = useState<ReadonlySet<TimelineKind>>(new Set());
  const shown = entries.filter((e) => !hidden.has(e.kind));
  return (
    <section className="card timeline" aria-labelledby="tl-title">
      <div className="card-head">
        <h2 id="tl-title">Timeline ({entries.length} events)</h2>
      </div>
      <fieldset className="tl-filter">
        <legend>Show</legend>
        {kinds.map((k) => (
          <label key={k} className="check">
            <input
              type="checkbox"
              checked={!hidden.has(k)}
              onChange={(e) =>
                setHidden((h) => {
                  const next = new Set(h);
                  if (e.target.checked) next.delete(k);
                  else next.add(k);
                  return next;
                })
              }
            />{' '}
            {timelineKindLabels[k]}
          </label>
        ))}
      </fieldset>
      <ol className="tl-list">
        {shown.map((e) => (
          <li key={e.seq} className={`tl-item tl-${e.kind}${e.tone ? ` tl-tone-${e.tone}` : ''}`}>
            {onSeek ? (
              <button type="button" className="rt-time" onClick={() => onSeek(e.offsetMs)} aria-label={`Play from ${formatDuration(e.offsetMs)}`}>
                {formatDuration(e.offsetMs)}
              </button>
            ) : (
              <span className="rt-time">{formatDuration(e.offsetMs)}</span>
            )}
            <span className={`badge tl-kind tl-kind-${e.kind}`}>{timelineKindLabels[e.kind]}</span>
            <div className="tl-body">
              <span className="tl-title">{e.title}</span>
              {e.detail ? <span className="tl-detail">{e.detail}</span> : null}
              {e.extra ? (
                <details className="tl-extra">
                  <summary>Details</summary>
                  <pre>{e.extra}</pre>
                </details>
              ) : null}
            </div>
            <span className="muted small tl-seq" title={e.at}>
              #{e.seq}
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}
