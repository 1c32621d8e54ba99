// The lead's supervision panel, on the wallboard and the team view: alerts pushed live (each
// opens its call to monitor), the live agent calls the lead may monitor, and the monitor bar
// for the call being monitored (listen, whisper, barge, stop; what the audio is doing).
import type { MonitorMode, SupervisorAlert, SupervisorAlertKind } from '../../../contracts/supervision';
import { useNow } from '../hooks/use-now';
import { monitor } from '../state/desk';
import { formatElapsed, formatTime } from '../state/format';
import { useSupervisionStore } from './supervision-store';

const modeWords: Record<MonitorMode, { button: string; status: string; hint: string }> = {
  listen: { button: 'Listen', status: 'Listening', hint: 'You hear the caller and the agent; nobody hears you.' },
  whisper: { button: 'Whisper', status: 'Whispering', hint: 'Only the agent hears you; the caller does not.' },
  barge: { button: 'Barge', status: 'Barged in', hint: 'The caller and the agent both hear you.' },
};

const alertWords: Record<SupervisorAlertKind, string> = {
  negative_sentiment: 'Unhappy caller',
  long_hold: 'Long hold',
  security: 'Suspicious input',
  ai_loop: 'AI going in circles',
  raised_hand: 'Raised hand',
};

const audioWords = { starting: 'connecting audio…', live: 'audio live', no_microphone: 'no microphone (you can still listen)', ended: 'audio ended', failed: 'audio problem' } as const;

function MonitorBar() {
  const monitoring = useSupervisionStore((s) => s.monitoring);
  const call = useSupervisionStore((s) => s.calls.find((c) => c.sessionId === monitoring?.sessionId));
  if (!monitoring) return null;
  const { mode } = monitoring;
  return (
    <section className="card monitor-bar" aria-label="Monitoring">
      <div className="controls-row">
        <strong>{call ? `${call.agentName} with ${call.callerName ?? call.callerId}` : 'Call'}</strong>
        {(Object.keys(modeWords) as MonitorMode[]).map((m) => (
          <button
            key={m}
            type="button"
            className={`btn btn-small${mode === m ? ' btn-on' : ''}`}
            aria-pressed={mode === m}
            title={modeWords[m].hint}
            disabled={mode === null}
            onClick={() => void monitor.setMode(m)}
          >
            {modeWords[m].button}
          </button>
        ))}
        <button type="button" className="btn btn-small" onClick={() => void monitor.stop()}>
          {mode ? 'Stop monitoring' : 'Close'}
        </button>
      </div>
      {monitoring.transcript.lines.length > 0 ? (
        <ol className="plain-list monitor-transcript" role="log" aria-label="Monitored call transcript">
          {monitoring.transcript.lines.slice(-6).map((l) => (
            <li key={l.key}>
              <strong>{l.speaker === 'ai' ? 'AI' : l.speaker === 'caller' ? 'Caller' : l.speaker === 'agent' ? 'Agent' : '·'}</strong> {l.text}
            </li>
          ))}
        </ol>
      ) : null}
      <p className="muted controls-status" role="status" aria-label="Monitor status">
        {mode ? `${modeWords[mode].status}: ${modeWords[mode].hint}` : monitoring.note ? '' : 'Starting…'}
        {mode && monitoring.leg ? ` (${audioWords[monitoring.leg]})` : ''}
        {monitoring.note ? ` ${monitoring.note}` : ''}
      </p>
    </section>
  );
}

function AlertRow({ alert }: { alert: SupervisorAlert }) {
  const dismiss = useSupervisionStore((s) => s.dismissAlert);
  const live = useSupervisionStore((s) => s.calls.some((c) => c.sessionId === alert.sessionId));
  return (
    <li className={`supervision-alert alert-${alert.kind}`}>
      <span className="badge badge-warn">{alertWords[alert.kind]}</span> <span>{alert.message}</span>{' '}
      <span className="muted small">{formatTime(alert.at, true)}</span>{' '}
      <button
        type="button"
        className="btn btn-small"
        title={live ? 'Listen to this call' : 'Opens the call to monitor once an agent has it'}
        onClick={() => void monitor.start(alert.sessionId, 'listen')}
      >
        Open call
      </button>{' '}
      <button type="button" className="btn btn-ghost btn-small" aria-label="Dismiss alert" onClick={() => dismiss(alert.id)}>
        ×
      </button>
    </li>
  );
}

export function SupervisionPanel() {
  const calls = useSupervisionStore((s) => s.calls);
  const alerts = useSupervisionStore((s) => s.alerts);
  const monitoring = useSupervisionStore((s) => s.monitoring);
  const now = useNow(1000);
  return (
    <div className="supervision">
      <MonitorBar />
      <div className="two-col">
        <section className="card" aria-labelledby="sup-alerts">
          <h2 id="sup-alerts">Alerts</h2>
          {alerts.length === 0 ? (
            <p className="muted">No alerts. Unhappy callers, long holds, suspicious input, AI loops and raised hands appear here as they happen.</p>
          ) : (
            <ul className="plain-list" aria-label="Alerts">
              {alerts.map((a) => (
                <AlertRow key={a.id} alert={a} />
              ))}
            </ul>
          )}
        </section>
        <section className="card" aria-labelledby="sup-calls">
          <h2 id="sup-calls">Live agent calls</h2>
          {calls.length === 0 ? (
            <p className="muted">No agent is on a call you can monitor right now.</p>
          ) : (
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Agent</th>
                  <th scope="col">Caller</th>
                  <th scope="col" className="num">Talk</th>
                  <th scope="col">Monitor</th>
                </tr>
              </thead>
              <tbody>
                {calls.map((c) => {
                  const mine = monitoring?.sessionId === c.sessionId && monitoring.mode !== null;
                  return (
                    <tr key={c.sessionId}>
                      <th scope="row">{c.agentName}</th>
                      <td>
                        {c.callerName ?? c.callerId}
                        {c.held ? <span className="badge badge-warn"> on hold</span> : null}
                        {c.monitors.length > 0 ? <span className="muted small"> · {c.monitors.map((m) => `${m.supervisorName} (${m.mode})`).join(', ')}</span> : null}
                      </td>
                      <td className="num">{formatElapsed(c.since, now)}</td>
                      <td>
                        {(Object.keys(modeWords) as MonitorMode[]).map((m) => (
                          <button
                            key={m}
                            type="button"
                            className={`btn btn-small${mine && monitoring?.mode === m ? ' btn-on' : ''}`}
                            aria-label={`${modeWords[m].button} to ${c.agentName}'s call`}
                            title={modeWords[m].hint}
                            onClick={() => void monitor.start(c.sessionId, m)}
                          >
                            {modeWords[m].button}
                          </button>
                        ))}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
        </section>
      </div>
    </div>
  );
}
