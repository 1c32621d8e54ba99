// The call header's timers: talk (without hold), hold, and after-call work once wrap-up starts.
import { useNow } from '../hooks/use-now';
import { callTimers, type CallState } from '../state/call-reducer';
import { formatDuration } from '../state/format';

export function CallTimersBar({ call }: { call: CallState }) {
  const now = useNow(1000);
  const t = callTimers(call, now);
  return (
    <dl className="call-timers" aria-label="Call timers">
      <div>
        <dt>Talk</dt>
        <dd>{t.talkMs === null ? '–' : formatDuration(t.talkMs)}</dd>
      </div>
      <div className={call.holdStartedAt ? 'call-timer-live' : undefined}>
        <dt>Hold</dt>
        <dd>{formatDuration(t.holdMs)}</dd>
      </div>
      <div>
        <dt>After-call</dt>
        <dd>{t.afterCallMs === null ? '–' : formatDuration(t.afterCallMs)}</dd>
      </div>
    </dl>
  );
}
