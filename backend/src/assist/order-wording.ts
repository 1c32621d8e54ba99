// How an order's status reads to a human agent, on screen and aloud: the brief's list of
// what the AI looked up and the suggested replies use the same words, so the agent never
// sees one order described two ways.
import type { Order } from '../../../contracts/crm';

// Statuses that mean the parcel is still on its way, so its eta is a promise, not history.
const IN_FLIGHT = new Set(['shipped', 'processing', 'backordered']);

/** "Sat, Nov 14" from "2026-11-14"; the input unchanged when it is not a date. */
export function shortDate(iso: string): string {
  const d = new Date(`${iso}T12:00:00Z`);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleDateString('en-US', { weekday: 'short', month: 'short', day: 'numeric', timeZone: 'UTC' });
}

/** True when the order has not reached the caller yet. */
export function isInFlight(order: Order): boolean {
  return IN_FLIGHT.has(order.status);
}

/** The status and the date that matters, for a note: "shipped, arriving Sat, Nov 14". */
export function statusNote(order: Order): string {
  if (order.eta && isInFlight(order)) return `${order.status}, arriving ${shortDate(order.eta)}`;
  return order.status;
}

/** A sentence an agent can read to the verified caller about their order. */
export function orderSentence(order: Order): string {
  const eta = order.eta ? shortDate(order.eta) : undefined;
  const subject = `Your order ${order.id} (${order.item})`;
  switch (order.status) {
    case 'shipped':
      return eta ? `${subject} shipped and should arrive ${eta}.` : `${subject} has shipped.`;
    case 'processing':
      return eta ? `${subject} is being processed and should arrive by ${eta}.` : `${subject} is being processed.`;
    case 'backordered':
      return eta ? `${subject} is backordered; the expected delivery is ${eta}.` : `${subject} is backordered.`;
    case 'delivered':
      return `${subject} shows as delivered.`;
    case 'cancelled':
      return `${subject} was cancelled.`;
    case 'returned':
      return `${subject} shows as returned.`;
    default:
      return `${subject} has the status "${order.status}".`;
  }
}

/** The fact behind a suggestion, as it stands in the CRM: "Order O-1001 status shipped, eta 2026-11-14". */
export function orderFact(order: Order): string {
  return `Order ${order.id} status ${order.status}${order.eta ? `, eta ${order.eta}` : ''}`;
}
