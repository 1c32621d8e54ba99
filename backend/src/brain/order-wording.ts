// How the local brain says an order aloud: its id, item, status and expected date.
import type { Order } from '../../../contracts/crm';

const STATUS_WORDS: Record<string, string> = {
  shipped: 'has shipped',
  delivered: 'was delivered',
  processing: 'is being processed',
  backordered: 'is backordered',
  cancelled: 'was cancelled',
  returned: 'was returned',
};

export function describeOrder(order: Order): string {
  const status = STATUS_WORDS[order.status] ?? `is ${order.status}`;
  const eta =
    order.eta && ['shipped', 'processing', 'backordered'].includes(order.status)
      ? ` and should arrive by ${speakDate(order.eta)}`
      : order.eta && order.status === 'delivered'
        ? ` on ${speakDate(order.eta)}`
        : '';
  return `Your order ${spellOrderId(order.id)}, the ${order.item}, ${status}${eta}.`;
}

function speakDate(iso: string): string {
  const d = new Date(`${iso}T12:00:00Z`);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleDateString('en-US', { weekday: 'long', month: 'long', day: 'numeric', timeZone: 'UTC' });
}

/** Order ids read well both on screen and aloud: "O-1001". */
export function spellOrderId(id: string): string {
  return id;
}
