// A per-day chart (lines, bars or stacked bars) with its numbers always at hand: recharts'
// keyboard-accessible tooltip on the chart, and a "Show the numbers" table under it that a
// screen reader reaches without the chart (the SVG itself is labelled, not read point by point).
import { useId } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { useChartPalette } from './chart-palette';
import { shortDay } from './date-range';

export interface ChartSeries<P> {
  key: string;
  label: string;
  value: (point: P) => number | null;
  /** How the number reads in the tooltip and the table. */
  format: (value: number | null) => string;
}

export interface TrendChartProps<P extends { day: string }> {
  title: string;
  points: readonly P[];
  series: ReadonlyArray<ChartSeries<P>>;
  kind?: 'line' | 'bar' | 'stacked';
  /** Axis ticks: e.g. minutes for durations, % for rates. */
  tickFormat?: (value: number) => string;
  height?: number;
  /** Counts: whole-number axis ticks. */
  integer?: boolean;
}

export function TrendChart<P extends { day: string }>({
  title,
  points,
  series,
  kind = 'line',
  tickFormat,
  height = 220,
  integer = kind !== 'line',
}: TrendChartProps<P>) {
  const palette = useChartPalette();
  const id = useId();
  const data = points.map((p) => {
    const row: Record<string, string | number | null> = { day: p.day, label: shortDay(p.day) };
    for (const s of series) row[s.key] = s.value(p);
    return row;
  });
  const formatFor = new Map(series.map((s) => [s.key, s.format]));
  const hasData = data.some((row) => series.some((s) => typeof row[s.key] === 'number' && row[s.key] !== 0));
  const common = {
    data,
    responsive: true,
    style: { width: '100%', height },
    margin: { top: 8, right: 12, bottom: 0, left: 0 },
    title,
    desc: `${title}, per day. The numbers are in the table below the chart.`,
  } as const;
  const axes = (
    <>
      <CartesianGrid stroke={palette.grid} strokeDasharray="3 3" vertical={false} />
      <XAxis dataKey="label" stroke={palette.axis} tick={{ fill: palette.axis, fontSize: 12 }} minTickGap={12} />
      <YAxis
        stroke={palette.axis}
        tick={{ fill: palette.axis, fontSize: 12 }}
        width={52}
        allowDecimals={!integer}
        {...(tickFormat ? { tickFormatter: tickFormat } : {})}
      />
      <Tooltip
        contentStyle={{ background: palette.surface, borderColor: palette.grid, color: palette.text }}
        labelStyle={{ color: palette.text, fontWeight: 600 }}
        formatter={(value, name, item) => {
          const format = formatFor.get(String(item.dataKey));
          return [format ? format(typeof value === 'number' ? value : null) : String(value), name];
        }}
      />
      {series.length > 1 ? <Legend wrapperStyle={{ color: palette.text, fontSize: 13 }} /> : null}
    </>
  );

  return (
    <figure className="chart card" aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`} className="chart-title">
        {title}
      </figcaption>
      {hasData ? (
        kind === 'line' ? (
          <LineChart {...common}>
            {axes}
            {series.map((s, i) => (
              <Line
                key={s.key}
                type="monotone"
                dataKey={s.key}
                name={s.label}
                stroke={palette.series[i % palette.series.length]}
                strokeWidth={2}
                dot={{ r: 2 }}
                connectNulls
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        ) : (
          <BarChart {...common}>
            {axes}
            {series.map((s, i) => (
              <Bar
                key={s.key}
                dataKey={s.key}
                name={s.label}
                fill={palette.series[i % palette.series.length]}
                isAnimationActive={false}
                {...(kind === 'stacked' ? { stackId: 'all' } : {})}
              />
            ))}
          </BarChart>
        )
      ) : (
        <p className="muted chart-empty">No data in this range.</p>
      )}
      <details className="chart-numbers">
        <summary>Show the numbers</summary>
        <div className="table-scroll">
          <table className="table">
            <caption className="visually-hidden">{title}, per day</caption>
            <thead>
              <tr>
                <th scope="col">Day (UTC)</th>
                {series.map((s) => (
                  <th scope="col" key={s.key} className="num">
                    {s.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {points.map((p) => (
                <tr key={p.day}>
                  <th scope="row">{p.day}</th>
                  {series.map((s) => (
                    <td key={s.key} className="num">
                      {s.format(s.value(p))}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
