// One agent's dashboard: "My dashboard" for the signed-in agent, or the lead's drill-down
// from the team table (with a way back and to that agent's sessions).
import { useAuthStore } from '../state/auth-store';
import { useViewStore } from '../state/view-store';
import { AgentTrends } from './agent-trends';
import { analytics } from './analytics-client';
import { ExportButton } from './export-button';
import { FigureGrid } from './figure-grid';
import { LoadState } from './load-state';
import { RangePicker } from './range-picker';
import { useResource } from './use-resource';

export function AgentDashboard({ agentId }: { agentId: string | 'me' }) {
  const range = useViewStore((s) => s.range);
  const agentName = useViewStore((s) => s.agentName);
  const openAgent = useViewStore((s) => s.openAgent);
  const openAgentSessions = useViewStore((s) => s.openAgentSessions);
  const go = useViewStore((s) => s.go);
  const userName = useAuthStore((s) => s.user?.name);
  const res = useResource((signal) => analytics.agentDashboard(agentId, range, signal), [agentId, range.from, range.to]);
  const own = agentId === 'me';
  const name = res.data?.agent.name ?? (own ? userName : agentName) ?? 'Agent';

  return (
    <main className="dashboard" id="main">
      <div className="view-head">
        {own ? null : (
          <button type="button" className="btn btn-ghost btn-small" onClick={() => openAgent(null)}>
            ← Team
          </button>
        )}
        <h1>{own ? 'My dashboard' : name}</h1>
        {res.data && !own ? <span className="badge">{res.data.agent.team}</span> : null}
      </div>
      <div className="toolbar" role="group" aria-label="Filters">
        <RangePicker />
        <div className="toolbar-actions">
          <button
            type="button"
            className="btn btn-small"
            onClick={() => (own ? go('my-sessions') : openAgentSessions(agentId))}
          >
            {own ? 'My sessions' : `${name}'s sessions`} →
          </button>
          <ExportButton view="agent" params={own ? {} : { agent: agentId }} />
        </div>
      </div>
      <LoadState loading={res.loading && !res.data} error={res.error} onRetry={res.reload} what="the dashboard" />
      {res.data ? (
        <div aria-busy={res.loading}>
          <FigureGrid metrics={res.data.totals} label={`${name}, ${range.from} to ${range.to}`} />
          <h2 className="section-title">Per day</h2>
          <AgentTrends days={res.data.days} />
        </div>
      ) : null}
    </main>
  );
}
