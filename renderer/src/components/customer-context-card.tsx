// The caller's CRM record beside the call: profile, tier and verification, recent orders
// and tickets, notes, earlier sessions, and a form to add a note. Loaded once per customer.
import { useCallback, useEffect, useState } from 'react';
import type { CustomerContext } from '../../../contracts/agent-api';
import { http } from '../state/desk';
import { AddNoteForm } from './add-note-form';
import { formatDate, formatDateTime, formatMoney } from '../state/format';

type Load =
  { state: 'loading' } | { state: 'error'; message: string } | { state: 'ready'; context: CustomerContext };

export function CustomerContextCard({ customerId }: { customerId: string }) {
  const [load, setLoad] = useState<Load>({ state: 'loading' });

  const fetchContext = useCallback(
    async (signal?: AbortSignal) => {
      try {
        const context = await http.get<CustomerContext>(
          `/api/customers/${encodeURIComponent(customerId)}/context`,
          signal,
        );
        setLoad({ state: 'ready', context });
      } catch (err) {
        if ((err as Error).name !== 'AbortError')
          setLoad({ state: 'error', message: (err as Error).message });
      }
    },
    [customerId],
  );

  useEffect(() => {
    const ctl = new AbortController();
    setLoad({ state: 'loading' });
    void fetchContext(ctl.signal);
    return () => ctl.abort();
  }, [fetchContext]);

  return (
    <section className="card crm" aria-labelledby="crm-title" aria-busy={load.state === 'loading'}>
      <h2 id="crm-title">Customer</h2>
      {load.state === 'loading' ? <p className="muted">Loading the customer record…</p> : null}
      {load.state === 'error' ? (
        <div role="alert" className="form-error">
          {load.message}{' '}
          <button type="button" className="btn btn-small" onClick={() => void fetchContext()}>
            Try again
          </button>
        </div>
      ) : null}
      {load.state === 'ready' ? (
        <ContextBody context={load.context} onNoteAdded={() => void fetchContext()} />
      ) : null}
    </section>
  );
}

function ContextBody({ context, onNoteAdded }: { context: CustomerContext; onNoteAdded: () => void }) {
  const { customer } = context;
  return (
    <>
      <div className="crm-profile">
        <strong>{customer.name}</strong> <span className="badge">{customer.tier}</span>{' '}
        {context.verified ? (
          <span className="badge badge-ok">✓ Verified</span>
        ) : (
          <span className="badge badge-warn">Not verified</span>
        )}
        <div className="muted">
          {customer.phone}
          {customer.email ? ` · ${customer.email}` : ''}
          {customer.zip ? ` · ZIP ${customer.zip}` : ''}
        </div>
      </div>
      <h3>Recent orders</h3>
      {context.orders.length === 0 ? (
        <p className="muted">No orders.</p>
      ) : (
        <table className="table orders-table">
          <thead>
            <tr>
              <th scope="col">Order</th>
              <th scope="col">Item</th>
              <th scope="col">Status · ETA</th>
              <th scope="col" className="num">
                Total
              </th>
            </tr>
          </thead>
          <tbody>
            {context.orders.slice(0, 5).map((o) => (
              <tr key={o.id}>
                <td className="nowrap">{o.id}</td>
                <td>{o.item}</td>
                <td>
                  {o.status}
                  {o.eta ? <span className="muted nowrap order-eta">{formatDate(o.eta)}</span> : null}
                </td>
                <td className="num nowrap">{formatMoney(o.total)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>Tickets</h3>
      {context.tickets.length === 0 ? (
        <p className="muted">No tickets.</p>
      ) : (
        <ul className="plain-list">
          {context.tickets.slice(0, 5).map((t) => (
            <li key={t.id}>
              <span className="badge">{t.status}</span> {t.subject}{' '}
              <span className="muted">{formatDate(t.createdAt)}</span>
            </li>
          ))}
        </ul>
      )}
      <h3>Past sessions</h3>
      {context.pastSessions.length === 0 ? (
        <p className="muted">First contact.</p>
      ) : (
        <ul className="plain-list">
          {context.pastSessions.slice(0, 5).map((s) => (
            <li key={s.id}>
              {formatDateTime(s.startedAt)} · {s.state}
              {s.escalationReason ? (
                <span className="muted"> · escalated ({s.escalationReason.replaceAll('_', ' ')})</span>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      <h3>Notes</h3>
      {customer.notes ? (
        <p className="crm-notes">{customer.notes}</p>
      ) : (
        <p className="muted">No notes yet.</p>
      )}
      <AddNoteForm customerId={customer.id} onAdded={onNoteAdded} />
    </>
  );
}
