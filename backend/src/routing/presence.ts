// Agent presence: what an agent is doing right now, as far as routing is concerned.
// Only `available` agents receive offers; `on_call` and `wrap_up` still count as staffed
// (they will be free again soon) when estimating a caller's wait, `offline` and `away` do not.
import { z } from 'zod';

export const agentPresences = ['offline', 'available', 'on_call', 'wrap_up', 'away'] as const;
export const AgentPresence = z.enum(agentPresences);
export type AgentPresence = z.infer<typeof AgentPresence>;

/** Whether an agent in this presence is working the queues (and will take calls soon). */
export function isStaffed(presence: AgentPresence): boolean {
  return presence !== 'offline' && presence !== 'away';
}
