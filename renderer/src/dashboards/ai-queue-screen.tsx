// The lead's view of the AI and the queues: containment, escalation reasons over time, top
// intents, speed of answer, abandonment, service level at a chosen threshold, callbacks,
// and the knowledge gaps (questions the AI could not answer, grouped and ranked) so someone
// can write the missing article.
import { useEffect, useState } from 'react';
import { escalationReasons, type EscalationReason } from '../../../contracts/conversation';
import type { AiQueueDayPoint, AiQueueView, KnowledgeGapGroup, ModelUsageSummary } from '../../../contracts/analytics-api';
import { escalationReasonLabel, formatDateTime, queueLabel } from '../state/format';
import { useViewStore } from '../state/view-store';
import { analytics } from './analytics-client';
import { exportFilename, saveBlob, toCsv } from './csv-export';
import { ExportButton } from './export-button';
import { formatMs, formatRate } from './figures';
import { LoadState } from './load-state';
import { RangePicker } from './range-picker';
import { TeamFilter } from './team-filter';
import { TrendChart } from './trend-chart';
import { useResource } from './use-resource';
import { gapHeading } from './gap-heading';

export function AiQueueScreen() {
  const range = useViewStore((s) => s.range);
  const team = useViewStore((s) => s.team);
  const slaSeconds = useViewStore((s) => s.slaSeconds);
  const res = useResource(
    (signal) => analytics.aiQueue(range, team, slaSeconds, signal),
    [range.from, range.to, team, slaSeconds],
  );
  const v = res.data;

  return (
    <main className="dashboard" id="main">
      <div className="view-head">
        <h1>AI &amp; queue</h1>
      </div>
      <div className="toolbar" role="group" aria-label="Filters">
        <RangePicker />
        <TeamFilter />
        <SlaInput />
        <div className="toolbar-actions">
          <ExportButton view="ai-queue" params={{ team, slaSeconds }} />
        </div>
      </div>
      <LoadState loading={res.loading && !v} error={res.error} onRetry={res.reload} what="AI and queue figures" />
      {v ? (
        <div aria-busy={res.loading}>
          <dl className="figure-grid" aria-label="AI and queue figures">
            <Fig label="AI containment" value={formatRate(v.containmentRate)} hint={`${v.sessions} sessions, ${v.escalations} escalated`} def="Sessions that ended without being escalated to a person." />
            <Fig label="Average speed of answer" value={formatMs(v.avgSpeedOfAnswerMs)} hint={`${v.answered} answered of ${v.queued} queued`} def="From entering the queue to an agent accepting." />
            <Fig label="Abandonment" value={formatRate(v.abandonmentRate)} hint={`${v.abandoned} abandoned`} def="Queued calls that ended with no agent and no callback." />
            <Fig label={`Service level (${v.slaSeconds} s)`} value={formatRate(v.serviceLevel)} def={`Answered within ${v.slaSeconds} seconds, out of answered plus abandoned.`} />
            <Fig label="Callbacks" value={`${v.callbacksCompleted} / ${v.callbacksScheduled}`} hint="completed / scheduled" def="Callbacks scheduled for callers, and how many were done." />
          </dl>
          <div className="chart-grid">
            <EscalationChart view={v} />
            <TrendChart
              title="Sessions, contained and escalated"
              kind="bar"
              points={v.days}
              series={[
                { key: 'contained', label: 'Contained by AI', value: (d) => d.contained, format: (x) => String(x ?? 0) },
                { key: 'escalated', label: 'Escalated', value: (d) => d.escalated, format: (x) => String(x ?? 0) },
              ]}
            />
            <TrendChart
              title="Service level and abandonment per day"
              kind="line"
              points={v.days}
              tickFormat={(r) => `${Math.round(r * 100)}%`}
              series={[
                { key: 'sl', label: 'Service level', value: (d) => d.serviceLevel, format: formatRate },
                {
                  key: 'ab',
                  label: 'Abandonment',
                  value: (d) => (d.answered + d.abandoned ? d.abandoned / (d.answered + d.abandoned) : null),
                  format: formatRate,
                },
              ]}
            />
            <TrendChart
              title="Average speed of answer per day"
              points={v.days}
              tickFormat={(ms) => `${Math.round(ms / 1000)}s`}
              series={[{ key: 'asa', label: 'Speed of answer', value: (d) => d.avgSpeedOfAnswerMs, format: formatMs }]}
            />
          </div>
          <div className="two-col">
            <CountTable title="Escalation reasons" keyLabel="Reason" rows={v.escalationReasons.map((r) => ({ key: escalationReasonLabel(r.key), count: r.count }))} />
            <CountTable title="Top intents" keyLabel="Intent" rows={v.topIntents.map((r) => ({ key: r.key.replaceAll('_', ' '), count: r.count }))} />
          </div>
          <section className="card" aria-labelledby="by-queue-title">
            <h2 id="by-queue-title">By queue</h2>
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Queue</th>
                  <th scope="col" className="num">Queued</th>
                  <th scope="col" className="num">Answered</th>
                  <th scope="col" className="num">Abandoned</th>
                  <th scope="col" className="num">Speed of answer</th>
                </tr>
              </thead>
              <tbody>
                {v.byQueue.map((q) => (
                  <tr key={q.queue}>
                    <th scope="row">{queueLabel(q.queue)}</th>
                    <td className="num">{q.queued}</td>
                    <td className="num">{q.answered}</td>
                    <td className="num">{q.abandoned}</td>
                    <td className="num">{formatMs(q.avgSpeedOfAnswerMs)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          {v.model ? <ModelUsage usage={v.model} /> : null}
          <KnowledgeGaps gaps={v.knowledgeGaps} range={v.range} />
        </div>
      ) : null}
    </main>
  );
}

/** Tokens, cost and speed of the model brain (shown only when a model answered turns). */
function ModelUsage({ usage }: { usage: ModelUsageSummary }) {
  const ms = (n: number | null) => (n === null ? '–' : `${Math.round(n)} ms`);
  return (
    <section className="card" aria-labelledby="model-usage-title">
      <h2 id="model-usage-title">Model usage</h2>
      <dl className="figure-grid" aria-label="Model usage figures">
        <Fig label="Model turns" value={String(usage.turns)} hint={`${usage.fallbackTurns} answered by the fallback`} def="AI turns decided by a model; the fallback is the local brain when the model was late or failed." />
        <Fig label="Tokens" value={`${usage.inputTokens.toLocaleString()} / ${usage.outputTokens.toLocaleString()}`} hint="in / out" def="Prompt and completion tokens the provider reported." />
        <Fig label="Estimated cost" value={`$${usage.costUsd.toFixed(2)}`} def="Tokens times the configured prices (MODEL_PRICE_INPUT_PER_MTOK, MODEL_PRICE_OUTPUT_PER_MTOK)." />
        <Fig label="First token" value={ms(usage.firstTokenMs.p50)} hint={`p95 ${ms(usage.firstTokenMs.p95)}`} def="From the request to the model's first text, median." />
        <Fig label="First sentence" value={ms(usage.firstSentenceMs.p50)} hint={`p95 ${ms(usage.firstSentenceMs.p95)}`} def="From the caller's turn to the first guarded sentence handed to speech, median." />
      </dl>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col" className="num">Turns</th>
            <th scope="col" className="num">Cost</th>
          </tr>
        </thead>
        <tbody>
          {usage.byModel.map((m) => (
            <tr key={`${m.provider}/${m.model}`}>
              <th scope="row">{`${m.provider} ${m.model}`.trim()}</th>
              <td className="num">{m.turns}</td>
              <td className="num">{`$${m.costUsd.toFixed(2)}`}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Fig({ label, value, hint, def }: { label: string; value: string; hint?: string; def: string }) {
  return (
    <div className="figure card" title={def}>
      <dt>{label}</dt>
      <dd>{value}</dd>
      {hint ? <dd className="muted small">{hint}</dd> : null}
      <dd className="visually-hidden">{def}</dd>
    </div>
  );
}

/** The threshold is applied when the field is left or Enter is pressed, not on every keystroke. */
function SlaInput() {
  const slaSeconds = useViewStore((s) => s.slaSeconds);
  const setSlaSeconds = useViewStore((s) => s.setSlaSeconds);
  const [draft, setDraft] = useState(String(slaSeconds));
  useEffect(() => setDraft(String(slaSeconds)), [slaSeconds]);
  const commit = () => {
    const n = Math.round(Number(draft));
    if (Number.isFinite(n) && n >= 1 && n <= 600) setSlaSeconds(n);
    else setDraft(String(slaSeconds));
  };
  return (
    <label className="field inline-field">
      <span>Service level within (s)</span>
      <input
        type="number"
        min={1}
        max={600}
        inputMode="numeric"
        className="input-narrow"
        value={draft}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
        }}
      />
    </label>
  );
}

function EscalationChart({ view }: { view: AiQueueView }) {
  const present = escalationReasons.filter((r) => view.days.some((d) => (d.escalationsByReason[r] ?? 0) > 0));
  const reasons: readonly EscalationReason[] = present.length ? present : escalationReasons.slice(0, 1);
  return (
    <TrendChart<AiQueueDayPoint>
      title="Escalation reasons over time"
      kind="stacked"
      points={view.days}
      series={reasons.map((r) => ({
        key: r,
        label: escalationReasonLabel(r),
        value: (d) => d.escalationsByReason[r] ?? 0,
        format: (x) => String(x ?? 0),
      }))}
    />
  );
}

function CountTable({ title, keyLabel, rows }: { title: string; keyLabel: string; rows: Array<{ key: string; count: number }> }) {
  const total = rows.reduce((n, r) => n + r.count, 0);
  return (
    <section className="card">
      <h2>{title}</h2>
      {rows.length === 0 ? (
        <p className="muted">None in this range.</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{keyLabel}</th>
              <th scope="col" className="num">Count</th>
              <th scope="col" className="num">Share</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key}>
                <th scope="row">{r.key}</th>
                <td className="num">{r.count}</td>
                <td className="num">
                  <span className="share-bar" style={{ width: `${total ? (r.count / total) * 100 : 0}%` }} aria-hidden="true" />
                  {formatRate(total ? r.count / total : null)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function KnowledgeGaps({ gaps, range }: { gaps: KnowledgeGapGroup[]; range: { from: string; to: string } }) {
  const openSession = useViewStore((s) => s.openSession);
  const go = useViewStore((s) => s.go);
  const download = () =>
    saveBlob(
      new Blob(
        [
          toCsv(
            ['rank', 'topic', 'count', 'examples', 'last_seen_at', 'last_session_id'],
            gaps.map((g, i) => [i + 1, gapHeading(g), g.count, g.examples.join(' | '), g.lastSeenAt, g.lastSessionId]),
          ),
        ],
        { type: 'text/csv' },
      ),
      exportFilename('knowledge-gaps', range.from, range.to),
    );
  return (
    <section className="card" aria-labelledby="gaps-title">
      <div className="card-head">
        <h2 id="gaps-title">Knowledge gaps</h2>
        <button type="button" className="btn btn-small" onClick={download} disabled={gaps.length === 0}>
          ⤓ Export CSV
        </button>
      </div>
      <p className="muted small">Questions the AI could not answer, grouped by the words they share, most asked first.</p>
      {gaps.length === 0 ? (
        <p className="muted">No unanswered questions in this range.</p>
      ) : (
        <table className="table gaps-table">
          <thead>
            <tr>
              <th scope="col" className="num">#</th>
              <th scope="col">Topic</th>
              <th scope="col" className="num">Asked</th>
              <th scope="col">Examples</th>
              <th scope="col">Last asked</th>
            </tr>
          </thead>
          <tbody>
            {gaps.map((g, i) => (
              <tr key={g.signature}>
                <td className="num">{i + 1}</td>
                <th scope="row">{gapHeading(g)}</th>
                <td className="num">{g.count}</td>
                <td>
                  <ul className="plain-list">
                    {g.examples.map((q, j) => (
                      <li key={j}>“{q}”</li>
                    ))}
                  </ul>
                </td>
                <td>
                  {g.lastSeenAt ? formatDateTime(g.lastSeenAt) : '–'}
                  {g.lastSessionId ? (
                    <>
                      {' '}
                      <button
                        type="button"
                        className="link-button"
                        onClick={() => {
                          go('sessions');
                          openSession(g.lastSessionId);
                        }}
                      >
                        open call
                      </button>
                    </>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
