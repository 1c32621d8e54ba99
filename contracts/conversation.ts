// The vocabulary of a conversation that crosses process boundaries: states, escalation
// reasons, tool names and verification methods. Zod schemas so that config files,
// scenario files and wire messages are checked against the same lists.
import { z } from 'zod';

export const conversationStates = ['ai', 'queued', 'offered', 'agent', 'wrap-up', 'ended'] as const;
export const ConversationState = z.enum(conversationStates);
export type ConversationState = z.infer<typeof ConversationState>;

export const escalationReasons = [
  'caller_request',
  'negative_sentiment',
  'low_confidence',
  'policy_topic',
  'verification_failed',
  'ai_error',
  'max_turns',
  /** The caller speaks a language the brain does not answer in: a person who speaks it takes over. */
  'language',
] as const;
export const EscalationReason = z.enum(escalationReasons);
export type EscalationReason = z.infer<typeof EscalationReason>;

export const toolNames = [
  'lookup_customer',
  'verify_identity',
  'order_status',
  'list_orders',
  'create_ticket',
  'schedule_callback',
  'escalate',
  'end_call',
  'search_knowledge',
] as const;
export const ToolName = z.enum(toolNames);
export type ToolName = z.infer<typeof ToolName>;

export const VerificationMethod = z.enum(['zip', 'dob']);
export type VerificationMethod = z.infer<typeof VerificationMethod>;

export const SessionChannel = z.enum(['voice', 'text']);
export type SessionChannel = z.infer<typeof SessionChannel>;

export const Speaker = z.enum(['caller', 'ai', 'agent']);
export type Speaker = z.infer<typeof Speaker>;

/** Skills name the queues a call can be routed to; the brain's intent picks one. */
export const QueueSkill = z.enum(['billing', 'orders', 'general']);
export type QueueSkill = z.infer<typeof QueueSkill>;
