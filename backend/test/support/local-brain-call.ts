// One local brain over several turns of a call, with the shipped articles and a caller's
// orders, for tests that check what a caller hears. The caller is verified by zip 98104 or
// the birth date 1979-03-04.
import type { Order } from '../../../contracts/crm';
import type { BrainTurn, ToolRunner } from '../../src/brain/brain';
import { LocalBrain } from '../../src/brain/local-brain';
import { loadArticlesFromDir } from '../../src/knowledge/article-files';
import { KNOWLEDGE_CONFIDENCE_THRESHOLD, KnowledgeBase } from '../../src/knowledge/knowledge-base';

/** An order of customer C1. */
export const order = (id: string, item: string, status: string, eta: string, total: number): Order => ({ id, customerId: 'C1', item, status, eta, total });

/** A caller with a paddle set (delivered), a touring kayak and a spray skirt (both shipped). */
export const KAYAKS = [
  order('O-3003', 'Kayak Paddle Set', 'delivered', '2026-10-30', 210),
  order('O-3002', 'Touring Kayak', 'shipped', '2026-11-24', 899),
  order('O-3001', 'Spray Skirt', 'shipped', '2026-11-27', 64.5),
];

/** One brain over several turns; the caller is verified by zip 98104 or the birth date 1979-03-04. */
export async function call(orders: Order[], verified: boolean, ...texts: string[]): Promise<string[]> {
  const kb = KnowledgeBase.fromArticles(await loadArticlesFromDir());
  const brain = new LocalBrain();
  const caller = { phone: '+15550100001', verified, hasCandidate: true, verificationFailures: 0 };
  const runner: ToolRunner = {
    async call<T>(name: string, args?: Record<string, unknown>) {
      if (name === 'verify_identity') {
        caller.verified = args?.zip === '98104' || args?.dob === '1979-03-04';
        return { ok: true, result: { verified: caller.verified } as T };
      }
      if (!caller.verified) return { ok: false, result: { error: 'not_verified' } as T };
      const found = typeof args?.orderId === 'string' ? orders.filter((o) => o.id === args.orderId) : orders;
      return { ok: true, result: { orders: found } as T };
    },
  };
  const replies: string[] = [];
  for (const [i, text] of texts.entries()) {
    const turn: BrainTurn = {
      turn: i + 1,
      input: { kind: 'speech', text },
      history: [],
      caller,
      tools: runner,
      knowledge: { search: kb.search.bind(kb), confidenceThreshold: KNOWLEDGE_CONFIDENCE_THRESHOLD },
    };
    replies.push((await brain.respond(turn)).messages.join(' '));
  }
  return replies;
}

