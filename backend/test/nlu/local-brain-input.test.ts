// The local brain on bad and natural input: never a crash, never a disclosure before
// verification, and two requests in one turn answered in order.
import { describe, expect, it } from 'vitest';
import type { Order } from '../../../contracts/crm';
import type { BrainTurn, ToolRunner } from '../../src/brain/brain';
import { LocalBrain } from '../../src/brain/local-brain';
import { splitRequests } from '../../src/nlu/request-split';
import { loadArticlesFromDir } from '../../src/knowledge/article-files';
import { KNOWLEDGE_CONFIDENCE_THRESHOLD, KnowledgeBase } from '../../src/knowledge/knowledge-base';

const ORDERS: Order[] = [{ id: 'O-1001', customerId: 'C1', item: 'Touring Kayak', status: 'shipped', eta: '2026-12-04', total: 899 }];

async function turn(text: string, verified = false): Promise<{ said: string; tools: string[] }> {
  const kb = KnowledgeBase.fromArticles(await loadArticlesFromDir());
  const tools: string[] = [];
  const runner: ToolRunner = {
    async call<T>(name: string) {
      tools.push(name);
      // Unverified callers get nothing from the tools, as the policy guard does.
      if (!verified) return { ok: false, result: { error: 'not_verified' } as T };
      return { ok: true, result: { orders: ORDERS, verified: false } as T };
    },
  };
  const t: BrainTurn = {
    turn: 1,
    input: { kind: 'speech', text },
    history: [],
    caller: { phone: '+15550100001', verified, hasCandidate: true, verificationFailures: 0 },
    tools: runner,
    knowledge: { search: kb.search.bind(kb), confidenceThreshold: KNOWLEDGE_CONFIDENCE_THRESHOLD },
  };
  const reply = await new LocalBrain().respond(t);
  return { said: reply.messages.join(' '), tools };
}

describe('bad input', () => {
  it.each([
    [''],
    ['   '],
    ['a'.repeat(10_000)],
    ['where is my order '.repeat(600)],
    ['¿Dónde está mi pedido? Quiero hablar con alguien.'],
    ['我的订单在哪里'],
    ['😡😡😡 📦❓'],
    ['WHERE IS MY KAYAK I WANT IT NOW'],
    ['wher is my kayk'],
    ['\u0000\u0007<script>alert(1)</script>'],
  ])('%j gets an answer or an offer of a person, and no account data', async (text) => {
    const { said } = await turn(text.slice(0, 10_000));
    expect(said.length).toBeGreaterThan(0);
    expect(said).not.toMatch(/O-1001|Kayak|shipped|December/i);
  });
});

describe('natural phrasing', () => {
  it('answers order questions that do not say "order" only with the verification prompt before verification', async () => {
    for (const text of ['my kayak still hasn’t shown up', "when's my stuff getting here", 'Hello, I am calling about my kayak order.']) {
      const { said, tools } = await turn(text);
      expect(said, text).toMatch(/zip code or the date of birth/);
      expect(tools, text).toEqual([]);
    }
  });

  it('tells the policy for the caller\'s own situation before verification, then asks to verify, disclosing nothing', async () => {
    const cases: Array<[string, RegExp]> = [
      ['the app says delivered but theres no box at my door what am i supposed to do', /48 hours/],
      ["hey so we're moving on the first, can my package go to the new apartment instead", /address/i],
    ];
    for (const [text, policy] of cases) {
      const { said, tools } = await turn(text);
      expect(said, text).toMatch(policy);
      expect(said, text).toMatch(/zip code or the date of birth/);
      // The policy may say "shipped"; nothing of this caller's order may appear.
      expect(said, text).not.toMatch(/O-1001|Kayak|December/i);
      expect(tools, text).toEqual([]);
    }
  });

  it('answers a general question the intent model takes for an account request from the policy, without verification', async () => {
    const cases: Array<[string, RegExp]> = [
      ['whats the minimum i gotta spend to get free shipping', /\$50/],
      ['how many points do i need before i get a reward', /200 points/],
      // A story about another store, then a question about ours: nothing of the caller's account is asked.
      ["I'm in Germany and last time I ordered headphones from the US I got hit with a huge customs bill at the door. Will that happen with you?", /duties and taxes prepaid/],
    ];
    for (const [text, policy] of cases) {
      const { said, tools } = await turn(text);
      expect(said, text).toMatch(policy);
      expect(said, text).not.toMatch(/zip code or the date of birth/);
      expect(tools, text).toEqual([]);
    }
    // A question about the company is no account request: no verification, an honest "don't know".
    const ceo = await turn("whats your ceo's name");
    expect(ceo.said).toMatch(/don't know/);
    expect(ceo.said).not.toMatch(/zip code or the date of birth/);
    // Naming their own order keeps the request about the account.
    expect((await turn('when will my kayak arrive')).said).toMatch(/zip code or the date of birth/);
  });

  it('answers a request made in the same turn as the zip once verified', async () => {
    const brain = new LocalBrain();
    const kb = KnowledgeBase.fromArticles(await loadArticlesFromDir());
    let verified = false;
    const runner: ToolRunner = {
      async call<T>(name: string) {
        if (name === 'verify_identity') {
          verified = true;
          return { ok: true, result: { verified: true } as T };
        }
        return { ok: true, result: { orders: ORDERS } as T };
      },
    };
    const caller = { phone: '+15550100001', get verified() { return verified; }, hasCandidate: true, verificationFailures: 0 };
    const reply = await brain.respond({
      turn: 1,
      input: { kind: 'speech', text: "my zip's 10001, has my kayak shipped yet?" },
      history: [],
      caller,
      tools: runner,
      knowledge: { search: kb.search.bind(kb), confidenceThreshold: KNOWLEDGE_CONFIDENCE_THRESHOLD },
    } as BrainTurn);
    expect(reply.messages.join(' ')).toMatch(/verified.*O-1001, the Touring Kayak, has shipped/);
  });

  it("tells a verified caller who describes their situation what the policy says, after their order's status", async () => {
    const { said } = await turn("tracking says it was delivered yesterday afternoon but there's nothing on my porch and my neighbors haven't seen it", true);
    expect(said).toMatch(/O-1001, the Touring Kayak, has shipped.*cannot find your package/);
    expect((await turn('where is my kayak', true)).said).not.toMatch(/cannot find your package/);
  });

  it('answers the kayak after verification', async () => {
    expect((await turn('When will my kayak arrive?', true)).said).toMatch(/O-1001, the Touring Kayak, has shipped/);
  });
});

describe('splitRequests', () => {
  it('splits two requests and keeps one request whole', () => {
    expect(splitRequests("where's my order, and can I return the paddle?").map((r) => r.intent.name)).toEqual(['order_status', 'question']);
    expect(splitRequests('Hi, where is my order?')).toHaveLength(1);
    expect(splitRequests('No thanks, bye')).toHaveLength(1);
    expect(splitRequests('I would like to know where my order is and when it will arrive')).toHaveLength(1);
  });

  it('never reads a goodbye beside a request as a hang-up', () => {
    const turns = [
      'do you guys do a student discount? i am in college.',
      'I have called four times now and nobody ever rang me back. I am done waiting around, I really am.',
    ];
    for (const text of turns) expect(splitRequests(text).map((r) => r.intent.name), text).not.toContain('goodbye');
  });
});

describe('what a verified caller asks about one order', () => {
  const ORDERS_ON_FILE: Order[] = [
    { id: 'O-2001', customerId: 'C1', item: 'Blender', status: 'shipped', eta: '2026-12-04', total: 189 },
    { id: 'O-2002', customerId: 'C1', item: 'Trail Running Shoes', status: 'delivered', eta: '2026-11-03', total: 120.5 },
  ];

  /** One brain over several turns of a verified caller with two orders. */
  async function call(...texts: string[]): Promise<string[]> {
    const kb = KnowledgeBase.fromArticles(await loadArticlesFromDir());
    const brain = new LocalBrain();
    const runner: ToolRunner = {
      async call<T>(_name: string, args?: Record<string, unknown>) {
        const orders = typeof args?.orderId === 'string' ? ORDERS_ON_FILE.filter((o) => o.id === args.orderId) : ORDERS_ON_FILE;
        return { ok: true, result: { orders } as T };
      },
    };
    const replies: string[] = [];
    for (const [i, text] of texts.entries()) {
      const reply = await brain.respond({
        turn: i + 1,
        input: { kind: 'speech', text },
        history: [],
        caller: { phone: '+15550100001', verified: true, hasCandidate: true, verificationFailures: 0 },
        tools: runner,
        knowledge: { search: kb.search.bind(kb), confidenceThreshold: KNOWLEDGE_CONFIDENCE_THRESHOLD },
      });
      replies.push(reply.messages.join(' '));
    }
    return replies;
  }

  it('says what the caller paid, for a named item and for "it" after an order', async () => {
    expect((await call('what did I end up paying for the blender?'))[0]).toMatch(/Blender, came to \$189\.00/);
    const [status, price] = await call('is the blender on its way', 'and how much was it again?');
    expect(status).toMatch(/Blender, has shipped/);
    expect(price).toMatch(/\$189\.00/);
  });

  it('takes an order question in words the classifier does not know to the order, and says a delivered order’s day', async () => {
    expect((await call('where are my running shoes at'))[0]).toMatch(/Trail Running Shoes, was delivered on Tuesday, November 3/);
  });

  it('lets the caller pick from the orders it listed', async () => {
    const [, picked] = await call('what have I got on order', 'ok the second one you said, did that arrive?');
    expect(picked).toMatch(/O-2002/);
  });
});
