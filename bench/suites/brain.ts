// Brain benchmark: a model brain through the official `openai` client against the
// OpenAI-compatible stand-in (real HTTP + SSE) with a set time to first token and token rate.
// Measures, per multi-sentence reply:
//  - our overhead from the model's token that completes the first sentence (the sentence
//    splitter needs the next token to know a sentence ended) to that sentence, guarded by the
//    disclosure policy, handed on to speech (`onSentence`) — target p95 ≤ 10 ms;
//  - whether that first sentence left before the model finished its stream — target: all;
//  - barge-in (the turn's AbortSignal) → the provider's HTTP request closed at the stand-in —
//    target p95 ≤ 20 ms.
// The stand-in runs in a worker thread (its own event loop), so the moment it sees a token
// sent or a connection close is not held up by the backend's work on the main thread; both
// threads stamp times on one clock (performance.timeOrigin + now).
// Options: --turns N (default 40), --ttft MS (default 300), --token-ms MS (default 25).
import { Worker } from 'node:worker_threads';
import { defaultConfig } from '../../backend/src/config/config';
import { createServices } from '../../backend/src/runtime/services';
import type { StandInOptions } from '../../backend/test/support/openai-stand-in';

interface RemoteRecord {
  tokenSentAt: number[];
  closedAt: number | undefined;
  aborted: boolean;
}

/** The stand-in in a worker thread; `records()` reads what it saw, in request order. */
async function startRemoteStandIn(options: StandInOptions): Promise<{ baseUrl: string; records(): Promise<RemoteRecord[]>; close(): Promise<void> }> {
  const entry = new URL('./stand-in-worker.ts', import.meta.url).href;
  // Workers do not inherit tsx's loader: register it in the worker before importing TypeScript.
  const source = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`;
  const worker = new Worker(source, { eval: true, workerData: options });
  const baseUrl = await new Promise<string>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (m: { baseUrl: string }) => resolve(m.baseUrl));
  });
  return {
    baseUrl,
    records: () =>
      new Promise((resolve) => {
        worker.once('message', (m: { records: RemoteRecord[] }) => resolve(m.records));
        worker.postMessage({ type: 'records' });
      }),
    close: async () => {
      worker.postMessage({ type: 'close' });
      await new Promise((resolve) => worker.once('exit', resolve));
    },
  };
}

const now = () => performance.timeOrigin + performance.now();

const REPLY =
  'You can return most items within 30 days of delivery. Start a return from your order page, and we email you a free label. ' +
  'Refunds reach your card within five business days after the item arrives back with us.';

function option(args: string[], name: string, fallback: number): number {
  const at = args.indexOf(`--${name}`);
  const value = at >= 0 ? Number(args[at + 1]) : fallback;
  return Number.isFinite(value) ? value : fallback;
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const round = (n: number) => Math.round(n * 100) / 100;

export async function run(args: string[]): Promise<Record<string, unknown>> {
  const turns = option(args, 'turns', 40);
  const ttft = option(args, 'ttft', 300);
  const tokenMs = option(args, 'token-ms', 25);
  const standIn = await startRemoteStandIn({ firstTokenMs: ttft, tokenMs, script: [{ kind: 'reply', text: REPLY }] });
  const services = await createServices({
    config: defaultConfig({ BRAIN_PROVIDER: 'openai', OPENAI_BASE_URL: standIn.baseUrl, OPENAI_MODEL: 'bench', LOG_LEVEL: 'silent', BRAIN_HARD_DEADLINE_MS: 30_000 }),
    databaseFile: ':memory:',
  });
  // The token after the one that ends the first sentence is the one that releases it.
  const tokens = REPLY.match(/\S+\s*/g)!;
  const releasingToken = tokens.findIndex((t) => /[.!?]\s*$/.test(t)) + 1;
  const overheadMs: number[] = [];
  let firstBeforeEnd = 0;
  const abortMs: number[] = [];
  try {
    for (let i = 0; i < turns; i++) {
      // Caller ID +15550100001 has an unverified candidate: the disclosure guard runs per sentence.
      const conversation = await services.startConversation({ channel: 'text', callerId: '+15550100001' });
      let firstAt = 0;
      await conversation.handle(
        { kind: 'text', text: 'How long do I have to return something?' },
        { onSentence: () => (firstAt ||= now()) },
      );
      let request = (await standIn.records()).at(-1)!;
      while (request.closedAt === undefined) {
        await new Promise((r) => setTimeout(r, 2));
        request = (await standIn.records()).at(-1)!;
      }
      overheadMs.push(firstAt - request.tokenSentAt[releasingToken]!);
      if (firstAt < request.closedAt) firstBeforeEnd += 1;

      // Barge-in: abort at the first sentence; time until the stand-in sees the connection close.
      const bargeIn = await services.startConversation({ channel: 'text', callerId: '+15550100001' });
      const abort = new AbortController();
      let abortedAt = 0;
      await bargeIn.handle(
        { kind: 'text', text: 'How long do I have to return something?' },
        {
          signal: abort.signal,
          onSentence: () => {
            if (abortedAt) return;
            abortedAt = now();
            abort.abort();
          },
        },
      );
      let cut = (await standIn.records()).at(-1)!;
      while (cut.closedAt === undefined) {
        await new Promise((r) => setTimeout(r, 2));
        cut = (await standIn.records()).at(-1)!;
      }
      abortMs.push(cut.closedAt - abortedAt);
    }
  } finally {
    await services.close();
    await standIn.close();
  }
  return {
    turns,
    model: { firstTokenMs: ttft, tokenMs, replyTokens: tokens.length, sentences: 3 },
    firstSentenceOverheadMs: { p50: round(percentile(overheadMs, 50)), p95: round(percentile(overheadMs, 95)), max: round(Math.max(...overheadMs)), target_p95: 10 },
    firstSentenceBeforeStreamEnd: { replies: turns, before: firstBeforeEnd, target: turns },
    bargeInToProviderAbortMs: { p50: round(percentile(abortMs, 50)), p95: round(percentile(abortMs, 95)), max: round(Math.max(...abortMs)), target_p95: 20 },
  };
}
