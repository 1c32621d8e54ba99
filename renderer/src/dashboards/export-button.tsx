// "Export CSV" for a server-side view: fetched with the bearer token (a link could not send
// it), then saved as a file. Failures say what to do instead of failing silently.
import { useState } from 'react';
import type { ExportView } from '../../../contracts/analytics-api';
import { useViewStore } from '../state/view-store';
import { analytics, type QueryValue } from './analytics-client';
import { saveBlob } from './csv-export';

export function ExportButton({ view, params = {}, label = 'Export CSV' }: { view: ExportView; params?: Record<string, QueryValue>; label?: string }) {
  const range = useViewStore((s) => s.range);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      const { blob, filename } = await analytics.exportCsv(view, params, range);
      saveBlob(blob, filename);
    } catch (err) {
      setError(`Export failed: ${(err as Error).message}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <span className="export">
      <button type="button" className="btn btn-small" onClick={() => void run()} disabled={busy} aria-busy={busy}>
        ⤓ {busy ? 'Exporting…' : label}
      </button>
      {error ? (
        <span className="form-error small" role="alert">
          {error}
        </span>
      ) : null}
    </span>
  );
}
