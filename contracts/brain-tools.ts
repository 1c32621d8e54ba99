// The tools an AI brain may call, defined once: the argument schemas the tool layer enforces
// and, generated from the same schemas (zod 4's toJSONSchema), the JSON Schema a model is
// given. Descriptions are written for the model; the tool layer never trusts it to obey them.
import { z } from 'zod';
import { EscalationReason, ToolName } from './conversation';
import { E164 } from './crm';

export const ToolArgs = {
  lookup_customer: z
    .object({ phone: E164.describe('The phone number on the account, in E.164 form, e.g. +15550100001.') })
    .describe('Find the account for a phone number the caller gives, when caller ID found none. Returns only whether it exists.'),
  verify_identity: z
    .object({
      zip: z.string().max(60).optional().describe('The zip code exactly as the caller said it.'),
      dob: z.string().max(60).optional().describe('The date of birth exactly as the caller said it.'),
    })
    .describe('Check the zip code or date of birth the caller gave against the account. Required before any account tool.'),
  order_status: z
    .object({ orderId: z.string().max(40).optional().describe('An order number such as O-1001, if the caller named one.') })
    .describe("Status of the verified caller's order (the named one, or the most recent active ones)."),
  list_orders: z.object({}).describe("The verified caller's orders."),
  create_ticket: z
    .object({ subject: z.string().min(1).max(500).describe('What the problem is, in the caller’s words.') })
    .describe('Open a support ticket on the verified caller’s account.'),
  schedule_callback: z
    .object({
      phone: E164.optional().describe('The number to call back; the calling number when omitted.'),
      reason: z.string().max(500).default('callback requested').describe('Why the caller wants a call back.'),
    })
    .describe('Schedule a person to call the caller back within one business day.'),
  search_knowledge: z
    .object({ query: z.string().min(2).max(300).describe('The caller’s question, in plain words.') })
    .describe('Search the company knowledge base. Answer general questions only from the articles it returns, and only if one fits.'),
  escalate: z
    .object({
      reason: EscalationReason.describe('Why a person must take over.'),
      detail: z.string().max(300).default('').describe('One line for the agent who takes the call.'),
    })
    .describe('Hand the call to a person. Use when the caller asks for one, or you cannot help.'),
  end_call: z
    .object({ reason: z.string().max(200).default('caller finished').describe('Why the call ends.') })
    .describe('End the call after the caller said goodbye and has nothing else.'),
} satisfies Record<ToolName, z.ZodObject>;

export type ToolArgsOf<N extends ToolName> = z.infer<(typeof ToolArgs)[N]>;

/** A tool as a model is given it: name, description, and JSON Schema of its arguments. */
export interface ToolDefinition {
  name: ToolName;
  description: string;
  parameters: Record<string, unknown>;
}

/** JSON Schema for the named tools, generated from the zod schemas above. */
export function toolDefinitions(names: readonly ToolName[] = ToolName.options): ToolDefinition[] {
  return names.map((name) => {
    const schema = ToolArgs[name];
    const { $schema: _dialect, description, ...parameters } = z.toJSONSchema(schema, { io: 'input' }) as Record<string, unknown>;
    return { name, description: typeof description === 'string' ? description : name, parameters };
  });
}
