// The per-day charts under an agent's (or the team's) figures: volume, handle times, rates
// and sentiment. Each chart carries its own numbers table.
import type { AgentDayPoint } from '../../../contracts/analytics-api';
import { formatMs, formatRate, formatScore, SENTIMENT_SCALE } from './figures';
import { TrendChart } from './trend-chart';

const minutes = (ms: number) => `${Math.round(ms / 6000) / 10}m`;
const percent = (r: number) => `${Math.round(r * 100)}%`;

export function AgentTrends({ days }: { days: readonly AgentDayPoint[] }) {
  return (
    <div className="chart-grid">
      <TrendChart
        title="Calls handled and transfers"
        kind="bar"
        points={days}
        series={[
          { key: 'calls', label: 'Calls handled', value: (d) => d.callsHandled, format: (v) => String(v ?? 0) },
          { key: 'transfers', label: 'Transfers', value: (d) => d.transfers, format: (v) => String(v ?? 0) },
        ]}
      />
      <TrendChart
        title="Handle, wrap-up and hold time (average)"
        points={days}
        tickFormat={minutes}
        series={[
          { key: 'aht', label: 'Handle time', value: (d) => d.avgHandleMs, format: formatMs },
          { key: 'wrap', label: 'Wrap-up', value: (d) => d.avgWrapUpMs, format: formatMs },
          { key: 'hold', label: 'Hold', value: (d) => d.avgHoldMs, format: formatMs },
        ]}
      />
      <TrendChart
        title="Suggestions used and occupancy"
        points={days}
        tickFormat={percent}
        series={[
          { key: 'sugg', label: 'Suggestions used', value: (d) => d.suggestionAcceptanceRate, format: formatRate },
          { key: 'occ', label: 'Occupancy', value: (d) => d.occupancy, format: formatRate },
        ]}
      />
      <TrendChart
        title="Caller sentiment, start vs end (−5 very negative … +5 very positive)"
        points={days}
        tickFormat={(v) => v.toFixed(1)}
        series={[
          { key: 'start', label: 'At start', value: (d) => d.sentimentStart, format: (v) => formatScore(v) },
          { key: 'end', label: 'At end', value: (d) => d.sentimentEnd, format: (v) => formatScore(v) },
        ]}
      />
      <p className="muted small">{SENTIMENT_SCALE}</p>
    </div>
  );
}
