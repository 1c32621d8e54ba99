// The shared date-range control: presets, or two date fields for a custom range (checked
// before it is applied, so a bad range never reaches the server). Days are UTC days.
import { useId, useState } from 'react';
import { useViewStore } from '../state/view-store';
import { presetLabels, presetRange, rangeProblem, type RangePreset } from './date-range';

export function RangePicker() {
  const range = useViewStore((s) => s.range);
  const setRange = useViewStore((s) => s.setRange);
  const [draft, setDraft] = useState({ from: range.from, to: range.to });
  const [problem, setProblem] = useState<string | null>(null);
  const id = useId();

  const choose = (preset: RangePreset) => {
    setProblem(null);
    if (preset === 'custom') {
      setDraft({ from: range.from, to: range.to });
      setRange({ ...range, preset: 'custom' });
    } else setRange(presetRange(preset, new Date()));
  };

  const apply = (e: React.FormEvent) => {
    e.preventDefault();
    const p = rangeProblem(draft);
    setProblem(p);
    if (!p) setRange({ preset: 'custom', ...draft });
  };

  return (
    <div className="range-picker">
      <label className="field inline-field">
        <span>Period</span>
        <select value={range.preset} onChange={(e) => choose(e.target.value as RangePreset)}>
          {(Object.keys(presetLabels) as RangePreset[]).map((p) => (
            <option key={p} value={p}>
              {presetLabels[p]}
            </option>
          ))}
        </select>
      </label>
      {range.preset === 'custom' ? (
        <form className="range-custom" onSubmit={apply} aria-describedby={problem ? `${id}-problem` : undefined}>
          <label className="field inline-field">
            <span>From</span>
            <input
              type="date"
              value={draft.from}
              max={draft.to || undefined}
              onChange={(e) => setDraft((d) => ({ ...d, from: e.target.value }))}
            />
          </label>
          <label className="field inline-field">
            <span>To</span>
            <input
              type="date"
              value={draft.to}
              min={draft.from || undefined}
              onChange={(e) => setDraft((d) => ({ ...d, to: e.target.value }))}
            />
          </label>
          <button type="submit" className="btn btn-small">
            Apply
          </button>
          {problem ? (
            <p className="form-error range-problem" id={`${id}-problem`} role="alert">
              {problem}
            </p>
          ) : null}
        </form>
      ) : null}
      <span className="muted small range-note" title="Days start at midnight UTC, as the server counts them">
        {range.from === range.to ? range.from : `${range.from} – ${range.to}`} (UTC)
      </span>
    </div>
  );
}
