// What a view shows while its data loads or after it failed: a quiet "Loading…", or the
// server's message (already worded for the user) with a retry.
export function LoadState({ loading, error, onRetry, what }: { loading: boolean; error: string | null; onRetry: () => void; what: string }) {
  if (error)
    return (
      <div className="form-error" role="alert">
        Could not load {what}: {error}{' '}
        <button type="button" className="btn btn-small" onClick={onRetry}>
          Try again
        </button>
      </div>
    );
  if (loading) return <p className="muted" role="status">Loading {what}…</p>;
  return null;
}
