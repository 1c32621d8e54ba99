// One session in review: header facts, the recording with the transcript following it,
// the rebuilt handoff brief and the wrap-up summary, QA (scores and line comments) and the
// full event timeline.
import { useCallback, useMemo, useRef, useState } from 'react';
import { reviews } from '../dashboards/analytics-client';
import { LoadState } from '../dashboards/load-state';
import { useResource } from '../dashboards/use-resource';
import { useAgentStore } from '../state/agent-store';
import { useAuthStore } from '../state/auth-store';
import { escalationReasonLabel, formatDuration, queueLabel } from '../state/format';
import { useViewStore } from '../state/view-store';
import { EventTimeline } from './event-timeline';
import { QaPanel } from './qa-panel';
import { RecordingPlayer, type RecordingHandle } from './recording-player';
import { ReviewTranscript } from './review-transcript';
import { rebuildBrief, wrapUpSummary } from './review-brief';
import { buildTimeline } from './timeline';
import { activeLineIndex, buildTimedTranscript } from './transcript-timing';
import { formatDateTime } from '../state/format';

export function SessionDetail({ sessionId }: { sessionId: string }) {
  const openSession = useViewStore((s) => s.openSession);
  const focusSeq = useViewStore((s) => s.focusSeq);
  const role = useAuthStore((s) => s.user?.role);
  const canReview = role === 'lead' || role === 'admin';
  const session = useResource((signal) => reviews.session(sessionId, signal), [sessionId]);
  const qaRes = useResource((signal) => reviews.qa(sessionId, signal), [sessionId]);
  const currentQa = qaRes.data;
  const [playMs, setPlayMs] = useState(-1);
  const player = useRef<RecordingHandle>(null);

  const events = session.data?.events;
  const lines = useMemo(() => (events ? buildTimedTranscript(events) : []), [events]);
  const timeline = useMemo(() => (events ? buildTimeline(events) : []), [events]);
  const brief = useMemo(() => (events ? rebuildBrief(events) : null), [events]);
  const summary = useMemo(() => (events ? wrapUpSummary(events) : null), [events]);
  const hasRecording = events?.some((e) => e.type === 'recording.saved') ?? false;
  const active = playMs < 0 ? -1 : activeLineIndex(lines, playMs);
  const seek = useCallback((ms: number) => player.current?.seek(ms), []);

  const comment = async (seq: number, text: string) => {
    try {
      await reviews.comment(sessionId, { seq, text });
      qaRes.reload();
      return true;
    } catch (err) {
      useAgentStore.getState().notify('error', `The comment was not saved: ${(err as Error).message}`);
      return false;
    }
  };
  const score = async (scores: Record<string, number>, text: string) => {
    try {
      await reviews.score(sessionId, { scores, comment: text });
      qaRes.reload();
      return null;
    } catch (err) {
      return (err as Error).message;
    }
  };

  const d = session.data;
  const started = d ? new Date(d.startedAt) : null;
  return (
    <div className="session-detail">
      <div className="view-head">
        <button type="button" className="btn btn-ghost btn-small" onClick={() => openSession(null)}>
          ← Sessions
        </button>
        <h1>{d ? `${d.callerName ?? d.callerId}` : 'Session'}</h1>
        {d ? (
          <span className="muted">
            {started ? formatDateTime(started.toISOString()) : ''} · {d.channel}
            {d.endedAt ? ` · ${formatDuration(Date.parse(d.endedAt) - Date.parse(d.startedAt))}` : ' · in progress'}
            {d.escalationReason ? ` · ${escalationReasonLabel(d.escalationReason)}` : ' · handled by the AI'}
          </span>
        ) : null}
      </div>
      <LoadState loading={session.loading && !d} error={session.error} onRetry={session.reload} what="the session" />
      {d ? (
        <div className="review-grid">
          <div className="review-main">
            {hasRecording ? <RecordingPlayer ref={player} sessionId={sessionId} onTime={setPlayMs} /> : (
              <section className="card">
                <h2>Recording</h2>
                <p className="muted">{d.channel === 'text' ? 'Text sessions have no recording.' : 'No recording was saved for this call.'}</p>
              </section>
            )}
            <ReviewTranscript
              lines={lines}
              activeIndex={active}
              comments={currentQa?.comments ?? []}
              canComment={canReview && currentQa !== null}
              canSeek={hasRecording}
              focusSeq={focusSeq}
              onSeek={seek}
              onComment={comment}
            />
          </div>
          <div className="review-side">
            {brief ? (
              <section className="card" aria-labelledby="rb-title">
                <h2 id="rb-title">Handoff brief</h2>
                <dl className="brief-facts">
                  <dt>Caller</dt>
                  <dd>
                    {brief.callerName ?? 'Unknown'} <span className="muted">{brief.phone}</span>{' '}
                    {brief.verifiedBy ? (
                      <span className="badge badge-ok">✓ Verified ({brief.verifiedBy === 'dob' ? 'date of birth' : 'ZIP'})</span>
                    ) : (
                      <span className="badge badge-warn">Not verified</span>
                    )}
                  </dd>
                  <dt>Wanted</dt>
                  <dd>{brief.wants ?? '—'}</dd>
                  <dt>Why a person</dt>
                  <dd>
                    {brief.escalation
                      ? `${escalationReasonLabel(brief.escalation.reason)} · ${queueLabel(brief.escalation.queue)}${brief.escalation.detail ? ` — ${brief.escalation.detail}` : ''}`
                      : 'Not escalated'}
                  </dd>
                  <dt>AI did</dt>
                  <dd>{brief.aiActions.length ? brief.aiActions.join('; ') : '—'}</dd>
                  {brief.knowledgeGaps.length ? (
                    <>
                      <dt>Unanswered</dt>
                      <dd>{brief.knowledgeGaps.map((q) => `“${q}”`).join(' ')}</dd>
                    </>
                  ) : null}
                </dl>
                <p className="muted small">Rebuilt from the event log.</p>
              </section>
            ) : null}
            <section className="card" aria-labelledby="ws-title">
              <h2 id="ws-title">Wrap-up summary</h2>
              {summary ? (
                <dl className="brief-facts">
                  <dt>Agent</dt>
                  <dd>{summary.agentName ?? '—'}</dd>
                  <dt>Disposition</dt>
                  <dd>{summary.disposition}</dd>
                  <dt>Follow-up</dt>
                  <dd>{summary.followUp ?? 'none'}</dd>
                  <dt>Wrap-up time</dt>
                  <dd>{formatDuration(summary.wrapUpMs)}</dd>
                  <dt>Notes</dt>
                  <dd className="crm-notes">{summary.notes || '—'}</dd>
                </dl>
              ) : (
                <p className="muted">No wrap-up (the AI handled the call, or it is still open).</p>
              )}
            </section>
            <LoadState loading={qaRes.loading && !currentQa} error={qaRes.error} onRetry={qaRes.reload} what="QA" />
            {currentQa ? <QaPanel qa={currentQa} canScore={canReview} onScore={score} /> : null}
          </div>
          <div className="review-wide">
            <EventTimeline entries={timeline} onSeek={hasRecording ? seek : null} />
          </div>
        </div>
      ) : null}
    </div>
  );
}
