// Brain benchmark: a model brain through the official `openai` client against the
// OpenAI-compatible stand-in (real HTTP + SSE) with a set time to first token and token rate.
// Measures, per multi-sentence reply:
//  - our overhead from the model's token that completes the first sentence (the sentence
//    splitter needs the next token to know a sentence ended) to that sentence, guarded by the
//    disclosure policy, handed on to speech (`onSentence`) — target p95 ≤ 10 ms;
//  - whether that first sentence left before the model finished its stream — target: all;
//  - barge-in (the turn's AbortSignal) → the provider's HTTP request closed at the stand-in —
//    target p95 ≤ 20 ms.
// Options: --turns N (default 40), --ttft MS (default 300), --token-ms MS (default 25).
import { defaultConfig } from '../../backend/src/config/config';
import { createServices } from '../../backend/src/runtime/services';
import { OpenAiStandIn } from '../../backend/test/support/openai-stand-in';

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
  const standIn = await OpenAiStandIn.start({ firstTokenMs: ttft, tokenMs, script: [{ kind: 'reply', text: REPLY }] });
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
      const before = standIn.requests.length;
      let firstAt = 0;
      await conversation.handle(
        { kind: 'text', text: 'How long do I have to return something?' },
        { onSentence: () => (firstAt ||= performance.now()) },
      );
      const request = standIn.requests[before]!;
      overheadMs.push(firstAt - request.tokenSentAt[releasingToken]!);
      await waitFor(() => request.closedAtPerf !== undefined);
      if (firstAt < request.closedAtPerf!) firstBeforeEnd += 1;

      // Barge-in: abort at the first sentence; time until the stand-in sees the connection close.
      const bargeIn = await services.startConversation({ channel: 'text', callerId: '+15550100001' });
      const abort = new AbortController();
      let abortedAt = 0;
      const next = standIn.requests.length;
      await bargeIn.handle(
        { kind: 'text', text: 'How long do I have to return something?' },
        {
          signal: abort.signal,
          onSentence: () => {
            if (abortedAt) return;
            abortedAt = performance.now();
            abort.abort();
          },
        },
      );
      const cut = standIn.requests[next]!;
      await waitFor(() => cut.closedAtPerf !== undefined);
      abortMs.push(cut.closedAtPerf! - abortedAt);
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

async function waitFor(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const started = performance.now();
  while (!check()) {
    if (performance.now() - started > timeoutMs) throw new Error('benchmark timed out waiting for the stand-in');
    await new Promise((r) => setTimeout(r, 1));
  }
}
