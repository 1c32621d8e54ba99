// The transcript in review: every line with who spoke and when (recording time), the line
// being played highlighted and kept in view, click (or Enter) on a line's time to seek the
// recording there, and QA comments attached to lines (leads can add one to any line).
import { memo, useEffect, useRef, useState } from 'react';
import type { QaCommentView } from '../../../contracts/analytics-api';
import { formatDuration } from '../state/format';
import type { TimedLine } from './transcript-timing';
import { formatDateTime } from '../state/format';

const speakerLabels = { ai: 'AI', caller: 'Caller', agent: 'Agent', system: '' } as const;

export interface ReviewTranscriptProps {
  lines: readonly TimedLine[];
  activeIndex: number;
  comments: readonly QaCommentView[];
  canComment: boolean;
  canSeek: boolean;
  focusSeq: number | null;
  onSeek: (ms: number) => void;
  onComment: (seq: number, text: string) => Promise<boolean>;
}

export function ReviewTranscript({ lines, activeIndex, comments, canComment, canSeek, focusSeq, onSeek, onComment }: ReviewTranscriptProps) {
  const listRef = useRef<HTMLOListElement>(null);
  const [follow, setFollow] = useState(true);
  const [commenting, setCommenting] = useState<number | null>(null);
  const bySeq = new Map<number, QaCommentView[]>();
  for (const c of comments) bySeq.set(c.seq, [...(bySeq.get(c.seq) ?? []), c]);

  useEffect(() => {
    if (!follow || activeIndex < 0) return;
    const el = listRef.current?.querySelector<HTMLElement>(`[data-index="${activeIndex}"]`);
    el?.scrollIntoView({ block: 'nearest' });
  }, [activeIndex, follow]);

  useEffect(() => {
    if (focusSeq === null) return;
    listRef.current?.querySelector<HTMLElement>(`[data-seq="${focusSeq}"]`)?.scrollIntoView({ block: 'center' });
  }, [focusSeq, lines.length]);

  return (
    <section className="card review-transcript" aria-labelledby="rt-title">
      <div className="card-head">
        <h2 id="rt-title">Transcript</h2>
        <label className="check">
          <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} /> Follow playback
        </label>
      </div>
      {lines.length === 0 ? <p className="muted">Nothing was said in this session.</p> : null}
      <ol className="rt-list" ref={listRef}>
        {lines.map((line, i) => (
          <ReviewLine
            key={line.key}
            index={i}
            line={line}
            active={i === activeIndex}
            focused={line.seq === focusSeq}
            comments={bySeq.get(line.seq)}
            canComment={canComment && line.speaker !== 'system'}
            canSeek={canSeek}
            commenting={commenting === line.seq}
            onSeek={onSeek}
            onStartComment={setCommenting}
            onComment={async (text) => {
              const ok = await onComment(line.seq, text);
              if (ok) setCommenting(null);
              return ok;
            }}
          />
        ))}
      </ol>
    </section>
  );
}

interface ReviewLineProps {
  index: number;
  line: TimedLine;
  active: boolean;
  focused: boolean;
  comments: QaCommentView[] | undefined;
  canComment: boolean;
  canSeek: boolean;
  commenting: boolean;
  onSeek: (ms: number) => void;
  onStartComment: (seq: number | null) => void;
  onComment: (text: string) => Promise<boolean>;
}

const ReviewLine = memo(function ReviewLine({ index, line, active, focused, comments, canComment, canSeek, commenting, onSeek, onStartComment, onComment }: ReviewLineProps) {
  const time = `${line.estimated ? '≈' : ''}${formatDuration(line.startMs)}`;
  return (
    <li
      className={`rt-line rt-${line.speaker}${active ? ' rt-active' : ''}${focused ? ' rt-focused' : ''}`}
      data-index={index}
      data-seq={line.seq}
      aria-current={active ? 'true' : undefined}
    >
      <button
        type="button"
        className="rt-time"
        onClick={() => onSeek(line.startMs)}
        disabled={!canSeek}
        aria-label={`Play from ${formatDuration(line.startMs)}${line.estimated ? ' (estimated)' : ''}`}
        title={line.estimated ? 'Time estimated from the event log' : 'Time measured from the audio'}
      >
        {time}
      </button>
      {line.speaker === 'system' ? (
        <span className="rt-text rt-system-text">{line.text}</span>
      ) : (
        <>
          <span className="rt-speaker">{speakerLabels[line.speaker]}</span>
          <span className="rt-text">{line.text}</span>
        </>
      )}
      {canComment && !commenting ? (
        <button type="button" className="btn btn-ghost btn-small rt-comment-btn" onClick={() => onStartComment(line.seq)} aria-label={`Comment on line ${line.seq}: ${line.text.slice(0, 40)}`}>
          Comment
        </button>
      ) : null}
      {comments?.length ? (
        <ul className="rt-comments" aria-label="QA comments on this line">
          {comments.map((c) => (
            <li key={c.id} className="rt-comment">
              <strong>{c.authorName}</strong> <span className="muted small">{formatDateTime(c.createdAt)}</span>
              <p>{c.text}</p>
            </li>
          ))}
        </ul>
      ) : null}
      {commenting ? <CommentForm onCancel={() => onStartComment(null)} onSubmit={onComment} /> : null}
    </li>
  );
});

function CommentForm({ onCancel, onSubmit }: { onCancel: () => void; onSubmit: (text: string) => Promise<boolean> }) {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const ref = useRef<HTMLTextAreaElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <form
      className="rt-comment-form"
      onSubmit={async (e) => {
        e.preventDefault();
        if (!text.trim()) return;
        setBusy(true);
        await onSubmit(text.trim());
        setBusy(false);
      }}
    >
      <label className="field">
        <span>Comment on this line</span>
        <textarea ref={ref} rows={2} value={text} maxLength={5000} onChange={(e) => setText(e.target.value)} onKeyDown={(e) => e.key === 'Escape' && onCancel()} />
      </label>
      <div className="row-actions">
        <button type="submit" className="btn btn-primary btn-small" disabled={busy || !text.trim()}>
          Add comment
        </button>
        <button type="button" className="btn btn-small" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
