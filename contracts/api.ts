// REST DTOs shared by the backend routes and their clients.
import { z } from 'zod';
import type { AnySessionEvent } from './events';
import type { ConversationState, EscalationReason, SessionChannel } from './conversation';

export const Role = z.enum(['agent', 'lead', 'admin']);
export type Role = z.infer<typeof Role>;

export const LoginRequest = z.object({ email: z.string().min(1).max(320), password: z.string().min(1).max(1024) });
export type LoginRequest = z.infer<typeof LoginRequest>;
export interface LoginResponse {
  token: string;
  user: { id: string; email: string; name: string; role: Role };
}

export interface SessionSummary {
  id: string;
  channel: SessionChannel;
  callerId: string;
  callerName: string | null;
  customerId: string | null;
  verified: boolean;
  state: ConversationState;
  escalationReason: EscalationReason | null;
  startedAt: string;
  endedAt: string | null;
  agentIds: string[];
}

export interface SessionDetail extends SessionSummary {
  events: AnySessionEvent[];
}

export interface ApiError {
  error: string;
  message: string;
}
