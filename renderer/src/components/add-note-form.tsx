// Adds a note to the customer's CRM record (POST /api/customers/:id/notes).
import { useState, type FormEvent } from 'react';
import { NoteRequest } from '../../../contracts/agent-api';
import { http } from '../state/desk';

export function AddNoteForm({ customerId, onAdded }: { customerId: string; onAdded: () => void }) {
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const parsed = NoteRequest.safeParse({ note: note.trim() });
    if (!parsed.success) {
      setError('Write a note of up to 2,000 characters first.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await http.post(`/api/customers/${encodeURIComponent(customerId)}/notes`, parsed.data);
      setNote('');
      onAdded();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="note-form" onSubmit={(e) => void submit(e)}>
      <label className="field">
        <span>Add a note</span>
        <textarea rows={2} maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} />
      </label>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      <button type="submit" className="btn btn-small" disabled={busy || !note.trim()}>
        {busy ? 'Saving…' : 'Save note'}
      </button>
    </form>
  );
}
