// The lead's team view: every agent's figures in a sortable table (each row opens that
// agent's dashboard or sessions), the team totals and per-day trends, and CSV export.
import { Fragment, useState } from 'react';
import type { TeamRow } from '../../../contracts/analytics-api';
import { useAuthStore } from '../state/auth-store';
import { useViewStore } from '../state/view-store';
import { AgentDashboard } from './agent-dashboard';
import { AgentTrends } from './agent-trends';
import { analytics } from './analytics-client';
import { ExportButton } from './export-button';
import { FigureGrid } from './figure-grid';
import { figures, type FigureKey } from './figures';
import { LoadState } from './load-state';
import { RangePicker } from './range-picker';
import { ariaSort, nextSort, sortRows, type SortState } from './sort-rows';
import { TeamFilter } from './team-filter';
import { useResource } from './use-resource';
import { SupervisionPanel } from '../supervision/supervision-panel';

type Column = 'name' | FigureKey;

export function teamCell(row: TeamRow, key: Column): string | number | null {
  if (key === 'name') return row.agent.name;
  return figures.find((f) => f.key === key)!.value(row);
}

export function TeamScreen() {
  const agentId = useViewStore((s) => s.agentId);
  if (agentId) return <AgentDashboard agentId={agentId} />;
  return <TeamTableView />;
}

function TeamTableView() {
  const range = useViewStore((s) => s.range);
  const team = useViewStore((s) => s.team);
  const openAgent = useViewStore((s) => s.openAgent);
  const openAgentSessions = useViewStore((s) => s.openAgentSessions);
  const role = useAuthStore((s) => s.user?.role);
  const [sort, setSort] = useState<SortState<Column>>({ key: 'callsHandled', direction: 'desc' });
  const res = useResource((signal) => analytics.team(range, team, signal), [range.from, range.to, team]);
  const rows = res.data ? sortRows(res.data.rows, sort, teamCell) : [];

  const header = (key: Column, label: string, title?: string, natural: 'asc' | 'desc' = 'desc') => (
    <th scope="col" aria-sort={ariaSort(sort, key)} className={key === 'name' ? undefined : 'num'}>
      <button type="button" className="sort-button" title={title} onClick={() => setSort((s) => nextSort(s, key, natural))}>
        {label}
        <span aria-hidden="true" className="sort-mark">
          {sort.key === key ? (sort.direction === 'asc' ? '▲' : '▼') : ''}
        </span>
      </button>
    </th>
  );

  return (
    <main className="dashboard" id="main">
      <div className="view-head">
        <h1>Team{res.data?.team ? ` · ${res.data.team}` : role === 'admin' && !team ? ' · all teams' : ''}</h1>
      </div>
      <div className="toolbar" role="group" aria-label="Filters">
        <RangePicker />
        <TeamFilter />
        <div className="toolbar-actions">
          <ExportButton view="team" params={{ team }} />
        </div>
      </div>
      <SupervisionPanel />
      <LoadState loading={res.loading && !res.data} error={res.error} onRetry={res.reload} what="the team" />
      {res.data ? (
        <div aria-busy={res.loading}>
          <section className="card" aria-labelledby="team-table-title">
            <h2 id="team-table-title">Agents</h2>
            {rows.length === 0 ? (
              <p className="muted">No agents in this team yet.</p>
            ) : (
              <div className="table-scroll">
                <table className="table team-table">
                  <caption className="visually-hidden">
                    Agents and their figures, {range.from} to {range.to}. Column headers sort the table.
                  </caption>
                  <thead>
                    <tr>
                      {header('name', 'Agent', undefined, 'asc')}
                      {figures.map((f) => (
                        <Fragment key={f.key}>
                          {header(f.key, f.short, f.definition, f.better === 'lower' ? 'asc' : 'desc')}
                        </Fragment>
                      ))}
                      <th scope="col">
                        <span className="visually-hidden">Actions</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((row) => (
                      <tr key={row.agent.id}>
                        <th scope="row">
                          <button type="button" className="link-button" onClick={() => openAgent(row.agent)}>
                            {row.agent.name}
                          </button>
                        </th>
                        {figures.map((f) => (
                          <td key={f.key} className="num">
                            {f.format(row)}
                          </td>
                        ))}
                        <td>
                          <button
                            type="button"
                            className="btn btn-ghost btn-small"
                            onClick={() => openAgentSessions(row.agent.id)}
                            aria-label={`Sessions of ${row.agent.name}`}
                          >
                            Sessions
                          </button>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
          <h2 className="section-title">Team totals</h2>
          <FigureGrid metrics={res.data.totals} label="Team totals" />
          <h2 className="section-title">Per day</h2>
          <AgentTrends days={res.data.days} />
        </div>
      ) : null}
    </main>
  );
}
