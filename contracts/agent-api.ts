// REST DTOs the agent app uses beside the WebSocket channel.
import { z } from 'zod';
import { Role } from './api';
import { QueueSkill } from './conversation';
import type { Customer, Order, Ticket } from './crm';

export interface CustomerContext {
  customer: Customer;
  verified: boolean;
  orders: Order[];
  tickets: Ticket[];
  pastSessions: Array<{ id: string; startedAt: string; state: string; escalationReason: string | null }>;
}

/** A BCP-47 locale such as es-ES. */
export const Locale = z.string().regex(/^[a-z]{2,3}-[A-Z]{2,4}$/, 'must be a locale such as es-ES');

/** An agent's own languages (PUT /api/me/languages): the first is their working language. */
export const MyLanguages = z.object({ languages: z.array(Locale).min(1).max(10) }).strict();

export const NoteRequest = z.object({ note: z.string().min(1).max(2000) });

export const UserCreate = z.object({
  email: z.string().email(),
  name: z.string().min(1).max(100),
  role: Role,
  password: z.string().min(12, 'must be at least 12 characters'),
  team: z.string().max(60).default('default'),
  skills: z.array(QueueSkill).default(['general']),
  languages: z.array(Locale).max(10).default([]),
});
export const UserUpdate = z
  .object({
    name: z.string().min(1).max(100),
    role: Role,
    team: z.string().max(60),
    skills: z.array(QueueSkill),
    languages: z.array(Locale).max(10),
    active: z.boolean(),
    password: z.string().min(12, 'must be at least 12 characters'),
  })
  .partial()
  .strict();

export interface UserView {
  id: string;
  email: string;
  name: string;
  role: z.infer<typeof Role>;
  team: string;
  skills: Array<z.infer<typeof QueueSkill>>;
  /** Languages the agent speaks (locales); the first is their working language (translations go into it). */
  languages: string[];
  active: boolean;
}
