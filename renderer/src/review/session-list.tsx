// The session list for review: the shared date range, filters (agent, queue, disposition,
// escalation reason, sentiment, has-recording) and full-text search across transcripts,
// paged. Agents get the same list of their own sessions (the server scopes it), without the
// agent filter.
import { useEffect, useState } from 'react';
import { SentimentBucket, type SessionSearchHit } from '../../../contracts/analytics-api';
import { escalationReasons, QueueSkill } from '../../../contracts/conversation';
import { analytics, reviews, searchQueryParams } from '../dashboards/analytics-client';
import { ExportButton } from '../dashboards/export-button';
import { LoadState } from '../dashboards/load-state';
import { RangePicker } from '../dashboards/range-picker';
import { TeamFilter } from '../dashboards/team-filter';
import { useResource } from '../dashboards/use-resource';
import { useAgentStore } from '../state/agent-store';
import { escalationReasonLabel, queueLabel } from '../state/format';
import { emptySessionFilters, useViewStore, type SessionFilters } from '../state/view-store';
import { formatDateTime } from '../state/format';

const PAGE = 50;

/** "[matched] words" → parts with the bracketed terms marked, for <mark>. */
export function snippetParts(snippet: string): Array<{ text: string; match: boolean }> {
  const parts: Array<{ text: string; match: boolean }> = [];
  const re = /\[([^\]]+)\]/g;
  let last = 0;
  for (let m = re.exec(snippet); m; m = re.exec(snippet)) {
    if (m.index > last) parts.push({ text: snippet.slice(last, m.index), match: false });
    parts.push({ text: m[1]!, match: true });
    last = m.index + m[0].length;
  }
  if (last < snippet.length) parts.push({ text: snippet.slice(last), match: false });
  return parts;
}

export function SessionList({ own }: { own: boolean }) {
  const range = useViewStore((s) => s.range);
  const team = useViewStore((s) => s.team);
  const filters = useViewStore((s) => s.sessionFilters);
  const setFilters = useViewStore((s) => s.setSessionFilters);
  const openSession = useViewStore((s) => s.openSession);
  const dispositions = useAgentStore((s) => s.dispositions);
  const [offset, setOffset] = useState(0);
  const [q, setQ] = useState(filters.q);
  const agents = useResource((signal) => (own ? Promise.resolve(null) : analytics.team(range, team, signal)), [own, range.from, range.to, team]);

  useEffect(() => setOffset(0), [range.from, range.to, team, filters]);
  const params = { range, ...(own ? {} : { team }), ...filters, ...(own ? { agentId: '' } : {}), limit: PAGE, offset };
  const res = useResource((signal) => reviews.search(params, signal), [JSON.stringify(params)]);
  // The export takes the same filters; it pages on its own.
  const exportParams = searchQueryParams({ ...params, limit: undefined, offset: undefined });

  const select = (key: keyof SessionFilters, label: string, options: Array<[string, string]>) => (
    <label className="field inline-field">
      <span>{label}</span>
      <select value={filters[key]} onChange={(e) => setFilters({ [key]: e.target.value })}>
        <option value="">Any</option>
        {options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </label>
  );
  const hits = res.data?.hits ?? [];

  return (
    <div className="session-list">
      <div className="view-head">
        <h1>{own ? 'My sessions' : 'Sessions'}</h1>
      </div>
      <form
        className="search-box"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setFilters({ q: q.trim() });
        }}
      >
        <label className="field inline-field grow">
          <span>Search transcripts</span>
          <input type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder="e.g. refund warranty" maxLength={200} />
        </label>
        <button type="submit" className="btn btn-primary btn-small">
          Search
        </button>
      </form>
      <div className="toolbar" role="group" aria-label="Filters">
        <RangePicker />
        {own ? null : <TeamFilter />}
        {own
          ? null
          : select(
              'agentId',
              'Agent',
              (agents.data?.rows ?? []).map((r) => [r.agent.id, r.agent.name]),
            )}
        {select('queue', 'Queue', QueueSkill.options.map((x) => [x, queueLabel(x)]))}
        {select('disposition', 'Disposition', dispositions.map((x) => [x, x]))}
        {select('escalationReason', 'Escalation', escalationReasons.map((x) => [x, escalationReasonLabel(x)]))}
        {select('sentiment', 'Sentiment at end', SentimentBucket.options.map((x) => [x, x]))}
        {select('hasRecording', 'Recording', [
          ['true', 'With recording'],
          ['false', 'Without'],
        ])}
        <div className="toolbar-actions">
          <button
            type="button"
            className="btn btn-ghost btn-small"
            onClick={() => {
              setQ('');
              setFilters(emptySessionFilters);
            }}
          >
            Clear filters
          </button>
          <ExportButton view="sessions" params={exportParams} />
        </div>
      </div>
      <LoadState loading={res.loading && !res.data} error={res.error} onRetry={res.reload} what="sessions" />
      {res.data ? (
        <section className="card" aria-busy={res.loading} aria-labelledby="sl-title">
          <h2 id="sl-title" className="visually-hidden">
            Matching sessions
          </h2>
          {hits.length === 0 ? (
            <p className="muted">No sessions match. Widen the date range or clear a filter.</p>
          ) : (
            <div className="table-scroll">
              <table className="table session-table">
                <thead>
                  <tr>
                    <th scope="col">Started</th>
                    <th scope="col">Caller</th>
                    {own ? null : <th scope="col">Agent</th>}
                    <th scope="col">Queue</th>
                    <th scope="col">Escalation</th>
                    <th scope="col">Disposition</th>
                    <th scope="col">Sentiment</th>
                    <th scope="col" className="num">QA</th>
                    <th scope="col">
                      <span className="visually-hidden">Recording</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {hits.map((h) => (
                    <HitRow key={h.sessionId} hit={h} own={own} onOpen={() => openSession(h.sessionId, h.matchSeq)} />
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <div className="pager">
            <button type="button" className="btn btn-small" disabled={offset === 0} onClick={() => setOffset((o) => Math.max(0, o - PAGE))}>
              ← Newer
            </button>
            <span className="muted small">
              {hits.length ? `${offset + 1}–${offset + hits.length}` : '0'}
            </span>
            <button type="button" className="btn btn-small" disabled={!res.data.hasMore} onClick={() => setOffset((o) => o + PAGE)}>
              Older →
            </button>
          </div>
        </section>
      ) : null}
    </div>
  );
}

function HitRow({ hit, own, onOpen }: { hit: SessionSearchHit; own: boolean; onOpen: () => void }) {
  return (
    <>
      <tr className="hit-row">
        <td>
          <button type="button" className="link-button" onClick={onOpen} aria-label={`Open session with ${hit.callerName ?? hit.callerId}, ${formatDateTime(hit.startedAt)}`}>
            {formatDateTime(hit.startedAt)}
          </button>
        </td>
        <td>{hit.callerName ?? hit.callerId}</td>
        {own ? null : <td>{hit.agentName ?? (hit.contained ? <span className="muted">AI only</span> : '–')}</td>}
        <td>{hit.queue ? queueLabel(hit.queue) : '–'}</td>
        <td>{hit.escalationReason ? escalationReasonLabel(hit.escalationReason) : hit.abandoned ? 'Abandoned' : '–'}</td>
        <td>{hit.disposition ?? '–'}</td>
        <td>{hit.sentiment ? <span className={`mood mood-${hit.sentiment}`}>{hit.sentiment}</span> : '–'}</td>
        <td className="num">{hit.qaScore === null ? '–' : hit.qaScore.toFixed(0)}</td>
        <td>{hit.hasRecording ? <span className="badge">Recorded</span> : null}</td>
      </tr>
      {hit.snippet ? (
        <tr className="hit-snippet">
          <td colSpan={own ? 8 : 9}>
            <span className="muted small">Match: </span>
            {snippetParts(hit.snippet).map((p, i) => (p.match ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}
          </td>
        </tr>
      ) : null}
    </>
  );
}
