// Supervision on the agent channel: what a lead (or admin) sees of live agent calls, the
// monitor modes, and the alerts pushed to leads. The lead's audio leg is WebSocket
// /agent/monitor?token=…&sessionId=… in the same framing as /agent/media (16 kHz L16).
import { z } from 'zod';

/**
 * listen: the lead hears caller and agent, says nothing to anyone.
 * whisper: the agent also hears the lead; the caller never does.
 * barge: caller and agent both hear the lead.
 */
export const MonitorMode = z.enum(['listen', 'whisper', 'barge']);
export type MonitorMode = z.infer<typeof MonitorMode>;

/** One call an agent holds now, as a lead may see it (team-scoped; admins see all). */
export interface LiveAgentCall {
  sessionId: string;
  agentId: string;
  agentName: string;
  team: string;
  callerName: string | null;
  callerId: string;
  /** When the agent took the call (ISO). */
  since: string;
  held: boolean;
  /** Leads monitoring this call now, with their mode. */
  monitors: Array<{ supervisorId: string; supervisorName: string; mode: MonitorMode }>;
}

export const SupervisorAlertKind = z.enum(['negative_sentiment', 'long_hold', 'security', 'ai_loop', 'raised_hand']);
export type SupervisorAlertKind = z.infer<typeof SupervisorAlertKind>;

export interface SupervisorAlert {
  id: string;
  kind: SupervisorAlertKind;
  sessionId: string;
  /** The agent on the call when the alert fired; absent while the AI or the queue has it. */
  agentId?: string;
  agentName?: string;
  team?: string;
  callerName?: string | null;
  /** One line for the lead: what happened and where. */
  message: string;
  at: string;
  /** The session event that triggered it (absent for timer rules such as long hold). */
  seq?: number;
}
