// Parts of the NLU benchmark that play turns: every scenario under scenarios/ through the
// real conversation, and the local brain's own time per turn on the test splits' lines.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { Order } from '../../contracts/crm';
import type { BrainTurn, ToolRunner } from '../../backend/src/brain/brain';
import { LocalBrain } from '../../backend/src/brain/local-brain';
import { loadArticlesFromDir } from '../../backend/src/knowledge/article-files';
import { KnowledgeBase, KNOWLEDGE_CONFIDENCE_THRESHOLD } from '../../backend/src/knowledge/knowledge-base';
import { DEFAULT_NLU_DIR } from '../../backend/src/nlu/intent-corpus';
import { runScenario } from '../../backend/src/simulator/runner';
import { loadScenarioFile } from '../../backend/src/simulator/scenario-file';
import { percentile } from './voice';

const SCENARIO_DIR = path.resolve(DEFAULT_NLU_DIR, '../../scenarios');

function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((name) => {
      const full = path.join(dir, name);
      return statSync(full).isDirectory() ? yamlFiles(full) : /\.ya?ml$/.test(name) ? [full] : [];
    })
    .sort();
}

export async function runScenarioFolder(dir = SCENARIO_DIR): Promise<{ passed: number; total: number }> {
  let passed = 0;
  const files = yamlFiles(dir);
  for (const file of files) {
    const result = await runScenario(await loadScenarioFile(file));
    if (result.passed) passed += 1;
    else console.error(`scenario failed: ${path.relative(dir, file)}`);
  }
  return { passed, total: files.length };
}

const ORDERS: Order[] = [
  { id: 'O-2001', customerId: 'C1', item: 'Aura ANC Headset', status: 'delivered', total: 199 },
  { id: 'O-2002', customerId: 'C1', item: 'Gaming Headset', status: 'shipped', eta: '2026-12-02', total: 79 },
  { id: 'O-2003', customerId: 'C1', item: 'Touring Kayak', status: 'shipped', eta: '2026-12-04', total: 899 },
];

const CUSTOMER = { id: 'C1', name: 'Sam Ortiz', phone: '+15550100101', zip: '30303', dob: '1979-03-03', tier: 'silver', notes: '' };

/** Tools as a verified caller's CRM would answer them, without the store, so only the brain is timed. */
const tools: ToolRunner = {
  async call<T>(name: string, args: Record<string, unknown>) {
    if (name === 'order_status' && typeof args.orderId === 'string') {
      const order = ORDERS.find((o) => o.id === args.orderId);
      return { ok: Boolean(order), result: { orders: order ? [order] : [] } as T };
    }
    if (name === 'create_ticket') return { ok: true, result: { ticket: { id: 'T-1' } } as T };
    if (name === 'schedule_callback') return { ok: true, result: { callback: { phone: '+15550100101' } } as T };
    return { ok: true, result: { orders: ORDERS, verified: true } as T };
  },
};

export async function measureBrainTurns(): Promise<{ p50: number; p95: number; max: number; cpuP95: number; count: number }> {
  const testDir = path.join(DEFAULT_NLU_DIR, 'test');
  const intents = parse(readFileSync(path.join(testDir, 'intents.yaml'), 'utf8')) as Record<string, string[]>;
  const slots = parse(readFileSync(path.join(testDir, 'slots.yaml'), 'utf8')) as Array<{ text: string }>;
  const questions = parse(readFileSync(path.join(testDir, 'knowledge.yaml'), 'utf8')) as { questions: Array<{ q: string }> };
  const lines = [...Object.values(intents).flat(), ...slots.map((s) => s.text), ...questions.questions.map((q) => q.q)];
  const kb = KnowledgeBase.fromArticles(await loadArticlesFromDir());
  const knowledge = { search: kb.search.bind(kb), confidenceThreshold: KNOWLEDGE_CONFIDENCE_THRESHOLD };
  const times: number[] = [];
  // CPU time as well as wall time: on a shared machine wall time includes waiting for a core.
  const cpuTimes: number[] = [];
  // One warm-up pass: the first use of each library (compromise, the stemmer caches) is not a turn.
  for (const text of lines.slice(0, 20)) await new LocalBrain().respond({ turn: 1, input: { kind: 'speech', text }, history: [], caller: { phone: '+15550100101', verified: false, hasCandidate: true, verificationFailures: 0 }, tools, knowledge });
  for (const [i, text] of lines.entries()) {
    // Half the turns from a caller not yet verified, as calls start.
    const verified = i % 2 === 0;
    const brain = new LocalBrain();
    const turn: BrainTurn = {
      turn: 1,
      input: { kind: 'speech', text },
      history: [],
      caller: { phone: '+15550100101', verified, hasCandidate: true, verificationFailures: 0, ...(verified ? { customer: CUSTOMER } : {}) },
      tools,
      knowledge,
    };
    const t = performance.now();
    const cpu = process.cpuUsage();
    await brain.respond(turn);
    times.push(performance.now() - t);
    const used = process.cpuUsage(cpu);
    cpuTimes.push((used.user + used.system) / 1000);
  }
  times.sort((a, b) => a - b);
  return {
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    max: times.at(-1) ?? 0,
    cpuP95: percentile(cpuTimes, 95),
    count: times.length,
  };
}
