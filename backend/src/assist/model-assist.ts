// Agent assist with the configured model (the brain's provider): suggested replies grounded in
// the knowledge articles and, once the caller is verified, CRM facts — each with its source —
// a wrap-up summary with a disposition guess, a handoff brief's "wants" line, and knowledge-gap
// grouping. Every answer is a structured output validated with zod; a source the model did
// not receive, a disposition not on the list, a late or broken answer all fall back to the
// local version, which is always computed first.
import type OpenAI from 'openai';
import { z } from 'zod';
import type { Customer, Order, Ticket } from '../../../contracts/crm';
import type { AnySessionEvent } from '../../../contracts/events';
import type { ChatModel } from '../brain/providers';
import { quoteCaller } from '../brain/model-prompt';
import type { KnowledgeBase } from '../knowledge/knowledge-base';
import type { HandoffBrief } from './handoff-brief';
import { orderFact } from './order-wording';
import type { Suggestion, SuggestionSource } from './suggestions';
import { transcriptLines } from './transcript-lines';

export interface ModelAssistOptions {
  chat: ChatModel;
  /** How long an agent may wait for a model answer before the local one stands. */
  timeoutMs: number;
  dispositions: readonly string[];
  onProblem?: (what: string, message: string) => void;
}

const SuggestionsOut = z.object({
  suggestions: z
    .array(z.object({ text: z.string().min(1).max(400), sourceId: z.string().min(1).max(80) }))
    .max(3),
});
const BriefOut = z.object({ wants: z.string().min(1).max(300) });
const GapGroupsOut = z.object({
  groups: z.array(z.object({ topic: z.string().min(1).max(80), questions: z.array(z.number().int().min(0)).min(1) })).max(20),
});

export class ModelAssist {
  readonly #o: ModelAssistOptions;

  constructor(options: ModelAssistOptions) {
    this.#o = options;
  }

  /** Suggested replies; each must name a source the model was given. */
  async suggestReplies(
    input: { callerText: string; verified: boolean; customer?: Customer; orders?: Order[]; tickets?: Ticket[]; knowledge: KnowledgeBase },
    local: Suggestion[],
  ): Promise<Suggestion[]> {
    const sources = new Map<string, SuggestionSource>();
    const lines: string[] = [];
    for (const hit of input.knowledge.search(input.callerText, 3)) {
      sources.set(`article:${hit.article.id}`, { kind: 'article', id: hit.article.id, title: hit.article.title });
      lines.push(`[article:${hit.article.id}] ${hit.article.title}: ${hit.article.body.slice(0, 1200)}`);
    }
    // CRM facts only for a verified caller: a suggestion is meant to be read out as it stands.
    if (input.verified && input.customer) {
      for (const order of input.orders ?? []) {
        sources.set(`order:${order.id}`, { kind: 'crm', fact: orderFact(order), recordId: order.id });
        lines.push(`[order:${order.id}] ${orderFact(order)}`);
      }
      for (const ticket of input.tickets ?? []) {
        const fact = `Ticket ${ticket.id}: ${ticket.subject} (${ticket.status})`;
        sources.set(`ticket:${ticket.id}`, { kind: 'crm', fact, recordId: ticket.id });
        lines.push(`[ticket:${ticket.id}] ${fact}`);
      }
    }
    if (sources.size === 0) return local;
    const out = await this.#ask('suggestions', SuggestionsOut, [
      'You help a human call-center agent. Suggest up to three short replies the agent could say next, in plain spoken sentences.',
      'Each reply must rest on exactly one of the sources below and give its id in sourceId. Use nothing that is not in a source.',
      '',
      ...lines,
    ].join('\n'), quoteCaller(input.callerText));
    if (!out) return local;
    const picked: Suggestion[] = [];
    for (const s of out.suggestions) {
      const source = sources.get(s.sourceId);
      if (!source) continue; // an invented source is dropped, never shown
      picked.push({ id: `model:${s.sourceId}:${picked.length}`, text: s.text, source });
    }
    return picked.length > 0 ? picked : local;
  }

  /** A wrap-up summary and a disposition from the configured list. */
  async wrapUp(events: readonly AnySessionEvent[], local: string): Promise<{ summary: string; disposition?: string }> {
    const dispositions = this.#o.dispositions;
    const WrapUpOut = z.object({ summary: z.string().min(1).max(1200), disposition: z.enum(dispositions as [string, ...string[]]) });
    const out = await this.#ask(
      'wrap-up',
      WrapUpOut,
      [
        'Write the wrap-up note for this call for the CRM: two to four plain sentences on what the caller wanted, what was done, and what is still open.',
        `Pick the disposition from: ${dispositions.join(', ')}.`,
      ].join('\n'),
      transcriptText(events),
    );
    return out ? { summary: out.summary, disposition: out.disposition } : { summary: local };
  }

  /** The brief's "what the caller wants" line; every other brief field stays from the log. */
  async handoffBrief(events: readonly AnySessionEvent[], local: HandoffBrief): Promise<HandoffBrief> {
    const out = await this.#ask('handoff brief', BriefOut, 'In one sentence for the agent taking over, say what this caller wants. Start with a verb, e.g. "Wants a refund for ...".', transcriptText(events));
    return out ? { ...local, wants: out.wants } : local;
  }

  /** Groups unanswered caller questions by topic (indexes into `questions`); undefined on failure. */
  async groupKnowledgeGaps(questions: readonly string[]): Promise<Array<{ topic: string; questions: string[] }> | undefined> {
    if (questions.length === 0) return [];
    const out = await this.#ask(
      'knowledge gaps',
      GapGroupsOut,
      'Group these unanswered caller questions by the knowledge-base article that would answer them. Give each group a short topic and the question numbers.',
      questions.map((q, i) => `${i}. ${JSON.stringify(q.slice(0, 200))}`).join('\n'),
    );
    if (!out) return undefined;
    return out.groups
      .map((g) => ({ topic: g.topic, questions: [...new Set(g.questions)].filter((i) => i < questions.length).map((i) => questions[i]!) }))
      .filter((g) => g.questions.length > 0);
  }

  /** One structured-output request; undefined (and a reported problem) when it fails validation. */
  async #ask<T extends z.ZodType>(what: string, schema: T, system: string, user: string): Promise<z.infer<T> | undefined> {
    const { chat } = this.#o;
    try {
      const completion = await (chat.client as OpenAI).chat.completions.create(
        {
          model: chat.model,
          messages: [
            { role: 'system', content: `${system}\nAnswer with JSON only.` },
            { role: 'user', content: user },
          ],
          response_format: { type: 'json_schema', json_schema: { name: what.replaceAll(' ', '_'), schema: z.toJSONSchema(schema) as Record<string, unknown> } },
        },
        { timeout: this.#o.timeoutMs, maxRetries: 0 },
      );
      const content = completion.choices[0]?.message.content ?? '';
      const parsed = schema.safeParse(JSON.parse(content));
      if (!parsed.success) throw new Error(`the answer does not fit the schema (${parsed.error.issues[0]?.message})`);
      return parsed.data;
    } catch (err) {
      this.#o.onProblem?.(what, err instanceof Error ? err.message : String(err));
      return undefined;
    }
  }
}

function transcriptText(events: readonly AnySessionEvent[]): string {
  return transcriptLines(events)
    .slice(-40)
    .map((l) => (l.speaker === 'caller' ? `Caller: ${quoteCaller(l.text)}` : `${l.speaker === 'ai' ? 'AI' : 'Agent'}: ${l.text}`))
    .join('\n');
}
