// Redaction cost: what masking card numbers and SSNs adds to every stored event and every
// recorded 20 ms frame. Figures: microseconds per call (p50/p99) for redactText on clean and
// card-bearing utterances, redactDeep on typical event payloads, and the recording guard per
// 20 ms frame, with the CPU share the guard takes for 50 concurrent calls (caller + far side).
// Options: --iterations N (default 20000).
import { guardRecorder } from '../../backend/src/media/recording-guard';
import type { CallRecorder, CallRecording } from '../../backend/src/media/call-recorder';
import { dtmfTone } from '../../backend/src/media/tones';
import { redactDeep, redactText } from '../../backend/src/policy/redaction';

function percentiles(samples: number[]): { p50: number; p99: number } {
  const sorted = samples.slice().sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { p50: Math.round(at(0.5) * 1000) / 1000, p99: Math.round(at(0.99) * 1000) / 1000 };
}

/** Microseconds per call, each sample timing a batch of 20 calls (timer resolution). */
function time(iterations: number, fn: (i: number) => void): { p50: number; p99: number } {
  const samples: number[] = [];
  for (let i = 0; i < 200; i++) fn(i); // warm-up
  for (let i = 0; i < iterations; i += 20) {
    const start = performance.now();
    for (let j = 0; j < 20; j++) fn(i + j);
    samples.push(((performance.now() - start) * 1000) / 20);
  }
  return percentiles(samples);
}

const CLEAN = [
  'Where is my order? I placed it last Tuesday.',
  'my zip is nine four one oh seven',
  'I was born on April twelfth nineteen eighty five',
  'Can you call me back on +1 555 010 0001 please',
  'order O-1001 has not arrived and I want to speak to a person',
];
const SENSITIVE = [
  'my card is 4111 1111 1111 1111 expiring 12/29',
  'four one one one one one one one one one one one one one one one',
  'my social is 123-45-6789',
];

export async function run(args: string[]): Promise<Record<string, unknown>> {
  const flag = args.indexOf('--iterations');
  const iterations = flag >= 0 ? Number(args[flag + 1]) : 20_000;
  const payloads = [
    { turn: 3, text: 'Your order O-1001 shipped on March 3 and should arrive by Friday.', citations: ['shipping'], intent: 'order_status' },
    { turn: 3, name: 'order_status', args: { orderId: 'O-1001' }, ok: true, result: { id: 'O-1001', status: 'shipped', items: ['Kettle', 'Mug'], total: 42.5 } },
    { speaker: 'caller', text: 'my card is 4111 1111 1111 1111', startMs: 12000, endMs: 15000, confidence: 0.8 },
  ];

  const nullRecorder: CallRecorder = {
    path: 'bench.wav',
    writeCaller: () => undefined,
    writeFarSide: () => undefined,
    close: async () => ({ path: 'bench.wav', durationMs: 0, bytes: 0, droppedFarSideMs: 0, droppedWriteMs: 0 }) satisfies CallRecording,
    backlogMs: 0,
  };
  const guard = guardRecorder(nullRecorder);
  const speechLike = new Int16Array(320);
  for (let i = 0; i < speechLike.length; i++) speechLike[i] = Math.round(3000 * Math.sin(i / 7) + 1500 * Math.sin(i / 3.1));
  const tone = dtmfTone('5', 20);
  const frame = time(iterations, (i) => guard.writeCaller(i % 10 === 0 ? tone : speechLike));
  // Each call records two streams of 50 frames per second.
  const guardCpuShare50Calls = Math.round(((frame.p50 * 2 * 50 * 50) / 1e6) * 10000) / 10000;

  return {
    iterations,
    redactTextCleanUs: time(iterations, (i) => redactText(CLEAN[i % CLEAN.length]!)),
    redactTextSensitiveUs: time(iterations, (i) => redactText(SENSITIVE[i % SENSITIVE.length]!)),
    redactDeepPayloadUs: time(iterations, (i) => redactDeep(payloads[i % payloads.length])),
    guardFrameUs: frame,
    guardCpuShare50Calls,
  };
}
