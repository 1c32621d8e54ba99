// The agent's figures as a grid of labelled numbers (a description list, so each number is
// read with its name), each with its definition on hover and for screen readers.
import type { AgentMetrics } from '../../../contracts/analytics-api';
import { figures } from './figures';

export function FigureGrid({ metrics, label }: { metrics: AgentMetrics; label: string }) {
  return (
    <dl className="figure-grid" aria-label={label}>
      {figures.map((f) => (
        <div key={f.key} className="figure card" title={f.definition}>
          <dt>{f.label}</dt>
          <dd>{f.format(metrics)}</dd>
          <dd className="visually-hidden">{f.definition}</dd>
        </div>
      ))}
    </dl>
  );
}
