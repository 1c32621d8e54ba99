// CRM and knowledge-base records as they cross boundaries: demo data files, scenario
// fixtures, the agent app's context card. Zod schemas so every file is checked on load.
import { z } from 'zod';

/** E.164: a plus sign, then 8 to 15 digits, the first not zero. */
export const E164 = z.string().regex(/^\+[1-9]\d{7,14}$/, 'must be an E.164 phone number such as +15550100001');
export const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD');

export const Customer = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  phone: E164,
  email: z.string().email().nullable().optional(),
  zip: z.string().regex(/^\d{5}$/, 'must be a 5-digit zip code').nullable().optional(),
  dob: IsoDate.nullable().optional(),
  tier: z.string().min(1).default('standard'),
  notes: z.string().default(''),
});
export type Customer = z.infer<typeof Customer>;

export const Order = z.object({
  id: z.string().min(1),
  customerId: z.string().min(1),
  item: z.string().min(1),
  status: z.string().min(1),
  eta: IsoDate.nullable().optional(),
  total: z.number().nonnegative(),
});
export type Order = z.infer<typeof Order>;

export const Ticket = z.object({
  id: z.string().min(1),
  customerId: z.string().min(1),
  subject: z.string().min(1),
  status: z.string().min(1).default('open'),
  createdAt: z.string().min(1).default(() => new Date().toISOString()),
});
export type Ticket = z.infer<typeof Ticket>;

export const Callback = z.object({
  id: z.string().min(1),
  customerId: z.string().nullable(),
  sessionId: z.string().nullable(),
  phone: E164,
  reason: z.string(),
  status: z.enum(['scheduled', 'completed', 'cancelled']),
  createdAt: z.string(),
  dueAt: z.string().nullable(),
});
export type Callback = z.infer<typeof Callback>;

export const KnowledgeArticle = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-_]*$/i, 'must be a slug of letters, digits, - and _'),
  title: z.string().min(1),
  body: z.string().min(1),
  tags: z.array(z.string()).default([]),
  /**
   * Questions callers ask that this article answers, in their words ("are you open on the
   * weekend"): the knowledge base matches a caller's question against them as well as the
   * title and tags (the FAQ pattern of other knowledge bases). Optional.
   */
  questions: z.array(z.string().min(1)).optional(),
  /**
   * Questions that sound like this article's topic but that it does not answer ("do you do
   * gift wrapping" beside the gift-card article): a caller's question that matches one of
   * them better than the article is not answered from it. Optional.
   */
  notAnswered: z.array(z.string().min(1)).optional(),
  /** The article's language (es, de; the language part of a locale); absent: the default language. */
  language: z.string().regex(/^[a-z]{2,3}$/, 'must be a language such as es or de').optional(),
});
export type KnowledgeArticle = z.infer<typeof KnowledgeArticle>;

export const CrmDataset = z.object({
  customers: z.array(Customer).default([]),
  orders: z.array(Order).default([]),
  tickets: z.array(Ticket).default([]),
});
export type CrmDataset = z.infer<typeof CrmDataset>;
