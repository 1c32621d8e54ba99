// CPU our side spends turning one spoken reply into µ-law 8 kHz Media Streams frames: from the
// synthesizer's output to every `media` frame handed to the socket (resampling, µ-law encoding,
// base64, framing), measured with process.cpuUsage over many replies on a virtual clock so
// no waiting is counted. Synthesis itself (flite) is done once, before measuring.
import { MULAW_8K } from '../../contracts/media-stream';
import { encodeMulaw } from '../../backend/src/media/mulaw';
import { createOutboundPacer, type PacerClock } from '../../backend/src/media/outbound-pacer';
import { createResampler } from '../../backend/src/media/resampler';
import { createTextToSpeech } from '../../backend/src/speech/providers';

const REPLY = "Sure, I can help with that. Your order shipped yesterday and should arrive on Thursday. Is there anything else I can do for you today?";

/** A clock that runs timers in order without waiting. */
function virtualClock(): PacerClock & { runAll(): void } {
  let now = 0;
  let seq = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  return {
    now: () => now,
    setTimer: (fn, delayMs) => {
      const id = ++seq;
      timers.set(id, { at: now + delayMs, fn });
      return id;
    },
    clearTimer: (h) => void timers.delete(h as number),
    runAll() {
      while (timers.size > 0) {
        let next: [number, { at: number; fn: () => void }] | undefined;
        for (const t of timers) if (!next || t[1].at < next[1].at) next = t;
        timers.delete(next![0]);
        now = Math.max(now, next![1].at);
        next![1].fn();
      }
    },
  };
}

export async function measureMulawPlayout(replies = 200): Promise<Record<string, unknown>> {
  const tts = createTextToSpeech({ provider: 'local', voice: 'kal16' });
  const sentences: Int16Array[] = [];
  for await (const s of tts.synthesize(REPLY)) sentences.push(s.pcm);
  const audioMs = sentences.reduce((n, s) => n + s.length, 0) / 16;
  let frames = 0;
  const clock = virtualClock();
  const pacer = createOutboundPacer({ streamSid: 'MZbench', format: MULAW_8K, send: (f) => void (f.event === 'media' && frames++), clock });
  // What a synthesizer that speaks the carrier's format hands over (Azure raw 8 kHz µ-law).
  const direct = sentences.map((s) => encodeMulaw(createResampler(16000, 8000).process(s)));
  /** Least CPU of five runs (the machine is shared): ms per reply. */
  const cpuPerReply = (play: () => void): number => {
    play(); // warm up the JIT
    let best = Infinity;
    for (let run = 0; run < 5; run++) {
      frames = 0;
      const cpu = process.cpuUsage();
      for (let r = 0; r < replies; r++) play();
      const used = process.cpuUsage(cpu);
      best = Math.min(best, (used.user + used.system) / 1000 / replies);
    }
    return Math.round(best * 1000) / 1000;
  };
  const fromPcm = cpuPerReply(() => {
    for (const s of sentences) pacer.enqueue(s);
    clock.runAll();
  });
  const framesPerReply = frames / replies;
  const fromMulaw = cpuPerReply(() => {
    for (const s of direct) pacer.enqueueMulaw(s);
    clock.runAll();
  });
  pacer.dispose();
  return {
    reply: { sentences: sentences.length, audioMs: Math.round(audioMs), framesPerReply },
    cpuMsPerReply: { resampledAndEncodedPerSentence: fromPcm, carrierFormatFromSynthesizer: fromMulaw },
  };
}
