// The wallboard: calls with the AI, callers waiting (and the longest wait, ticking), agents
// by presence and today's service level. Fetched once when opened, then kept current by the
// server's pushes over the agent channel; a local one-second clock only ages the waits.
import { useEffect, useState } from 'react';
import type { AgentPresenceName } from '../../../contracts/analytics-api';
import { useNow } from '../hooks/use-now';
import { useAgentStore } from '../state/agent-store';
import { formatDuration, formatTime, queueLabel } from '../state/format';
import { analytics } from './analytics-client';
import { formatRate } from './figures';
import { TeamSelect } from './team-filter';
import { liveMs, useWallboardStore } from './wallboard-store';
import { SupervisionPanel } from '../supervision/supervision-panel';

const presenceOrder: AgentPresenceName[] = ['available', 'on_call', 'wrap_up', 'away', 'offline'];
const presenceWords: Record<AgentPresenceName, string> = {
  available: 'Available',
  on_call: 'On a call',
  wrap_up: 'Wrap-up',
  away: 'Away',
  offline: 'Offline',
};

export function WallboardScreen() {
  const snapshot = useWallboardStore((s) => s.snapshot);
  const apply = useWallboardStore((s) => s.apply);
  const live = useAgentStore((s) => s.channel.state === 'open');
  const now = useNow(1000);
  // Empty: the whole floor. Teams come from the agents on the board, so there is nothing to mistype.
  const [team, setTeam] = useState('');

  useEffect(() => {
    const ctrl = new AbortController();
    analytics
      .wallboard(ctrl.signal)
      .then(apply)
      .catch(() => undefined);
    return () => ctrl.abort();
  }, [apply]);

  if (!snapshot)
    return (
      <main className="dashboard" id="main">
        <h1>Wallboard</h1>
        <p className="muted" role="status">
          Waiting for the first wallboard update…
        </p>
      </main>
    );

  const teams = [...new Set(snapshot.agents.flatMap((a) => (a.team ? [a.team] : [])))].sort();
  const agents = team ? snapshot.agents.filter((a) => a.team === team) : snapshot.agents;
  const byPresence = team
    ? (Object.fromEntries(presenceOrder.map((p) => [p, agents.filter((a) => a.presence === p).length])) as Record<AgentPresenceName, number>)
    : snapshot.agentsByPresence;
  const longest = snapshot.callsInQueue ? liveMs(snapshot.longestWaitMs, snapshot.at, now) : 0;
  const sl = snapshot.serviceLevelToday;
  return (
    <main className="dashboard wallboard" id="main">
      <div className="view-head">
        <h1>Wallboard</h1>
        <span className={`badge ${live ? 'badge-ok' : 'badge-warn'}`} role="status">
          {live ? '● Live' : 'Reconnecting — figures may be stale'}
        </span>
        <span className="muted small">updated {formatTime(snapshot.at, true)}</span>
        <TeamSelect className="wall-team" teams={teams} value={team} onChange={setTeam} />
      </div>
      <dl className="wall-grid" aria-label="Live figures">
        <div className="wall-tile card">
          <dt>Calls with the AI</dt>
          <dd>{snapshot.callsInAi}</dd>
        </div>
        <div className={`wall-tile card${snapshot.callsInQueue ? ' wall-alert' : ''}`}>
          <dt>Waiting in queue</dt>
          <dd>{snapshot.callsInQueue}</dd>
          <dd className="wall-sub">longest wait {formatDuration(longest)}</dd>
        </div>
        <div className={`wall-tile card${sl !== null && sl < 0.8 ? ' wall-alert' : ''}`}>
          <dt>Service level today ({snapshot.slaSeconds} s)</dt>
          <dd>{formatRate(sl)}</dd>
          <dd className="wall-sub">
            {snapshot.answeredToday} answered · {snapshot.abandonedToday} abandoned
          </dd>
        </div>
        <div className="wall-tile card">
          <dt>Agents available{team ? ` · ${team}` : ''}</dt>
          <dd>{byPresence.available}</dd>
          <dd className="wall-sub">
            {byPresence.on_call} on calls · {byPresence.wrap_up} in wrap-up
          </dd>
        </div>
      </dl>
      <SupervisionPanel />
      <div className="two-col">
        <section className="card" aria-labelledby="wall-queues">
          <h2 id="wall-queues">Queues</h2>
          {team ? <p className="muted small">Queues are shared by every team.</p> : null}
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Queue</th>
                <th scope="col" className="num">Waiting</th>
                <th scope="col" className="num">Ringing</th>
                <th scope="col" className="num">Longest wait</th>
              </tr>
            </thead>
            <tbody>
              {snapshot.queues.map((q) => (
                <tr key={q.queue}>
                  <th scope="row">{queueLabel(q.queue)}</th>
                  <td className="num">{q.waiting}</td>
                  <td className="num">{q.ringing}</td>
                  <td className="num">{q.waiting ? formatDuration(liveMs(q.longestWaitMs, snapshot.at, now)) : '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section className="card" aria-labelledby="wall-agents">
          <h2 id="wall-agents">Agents by presence{team ? ` · ${team}` : ''}</h2>
          <ul className="presence-counts plain-list">
            {presenceOrder.map((p) => (
              <li key={p}>
                <span className={`presence-dot presence-${p}`} aria-hidden="true" /> {presenceWords[p]}{' '}
                <strong>{byPresence[p]}</strong>
              </li>
            ))}
          </ul>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Agent</th>
                <th scope="col">Status</th>
                <th scope="col" className="num">For</th>
              </tr>
            </thead>
            <tbody>
              {[...agents]
                .sort((a, b) => presenceOrder.indexOf(a.presence) - presenceOrder.indexOf(b.presence) || a.name.localeCompare(b.name))
                .map((a) => (
                  <tr key={a.id}>
                    <th scope="row">{a.name}</th>
                    <td>
                      <span className={`presence-dot presence-${a.presence}`} aria-hidden="true" /> {presenceWords[a.presence]}
                    </td>
                    <td className="num">{a.sinceMs === null ? <span title="Offline since before the server started">—</span> : formatDuration(liveMs(a.sinceMs, snapshot.at, now))}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        </section>
      </div>
    </main>
  );
}
