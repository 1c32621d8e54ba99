// Media-pipeline capacity: how much CPU N concurrent calls cost in the media layer alone.
// Simulates N inbound L16 16 kHz streams at real time (one 20 ms frame per stream per tick),
// running the real per-frame path — parseCallerFrame, base64 decode, L16 decode, WebRTC VAD,
// turn detector — plus paced outbound replies (µ-law, through the resampler) on a quarter of
// the calls. No STT/TTS/brain is involved; figures are the media layer's share only.
import { parseCallerFrame } from '../../contracts/media-stream';
import type { OutboundFrame } from '../../contracts/media-stream';
import { decodeL16, encodeL16 } from '../../backend/src/media/l16';
import { createOutboundPacer } from '../../backend/src/media/outbound-pacer';
import type { OutboundPacer } from '../../backend/src/media/outbound-pacer';
import { createTurnDetector } from '../../backend/src/media/turn-detector';
import type { TurnDetector } from '../../backend/src/media/turn-detector';
import { createVoiceActivityDetector } from '../../backend/src/media/vad';
import type { VoiceActivityDetector } from '../../backend/src/media/vad';

const RATE = 16_000;
const FRAME_MS = 20;
const FRAME_SAMPLES = (RATE / 1000) * FRAME_MS;

export interface MediaCapacityResult {
  streams: number;
  cpuMsPerStreamSecond: number;
  p99FrameMs: number;
  p50FrameMs: number;
  /** Fraction of one core used by the whole simulation (inbound + outbound + loop). */
  coresUsed: number;
  /** Ticks that started more than one frame late (the box could not keep up). */
  lateTicks: number;
  framesHandled: number;
  outboundFramesSent: number;
  turnsDetected: number;
  note: string;
}

/** Deterministic speech-like audio: voiced harmonic bursts with syllable rhythm, then quiet line noise. */
function syntheticCallerAudio(seconds: number): Int16Array {
  const n = RATE * seconds;
  const out = new Int16Array(n);
  let seed = 7;
  for (let i = 0; i < n; i++) {
    const t = i / RATE;
    const cycle = t % 2; // 1.2 s talking, 0.8 s pause
    seed = (seed * 1_103_515_245 + 12_345) >>> 0;
    const noise = ((seed / 2 ** 32) * 2 - 1) * 60;
    let v = noise;
    if (cycle < 1.2) {
      const f0 = 120 + 20 * Math.sin(2 * Math.PI * 0.7 * t);
      let voiced = 0;
      for (let h = 1; h <= 20; h++) voiced += Math.sin(2 * Math.PI * f0 * h * t) / h;
      const syllable = 0.55 + 0.45 * Math.sin(2 * Math.PI * 4 * t);
      v += 6000 * syllable * voiced;
    }
    out[i] = Math.max(-32_768, Math.min(32_767, Math.round(v)));
  }
  return out;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number;
}

interface SimulatedCall {
  vad: VoiceActivityDetector;
  turns: TurnDetector;
  pacer?: OutboundPacer;
  offset: number;
}

export async function measureMediaCapacity(streams: number, seconds: number): Promise<MediaCapacityResult> {
  // Pre-encode a 4 s loop of wire frames once; every stream replays it from its own offset, so
  // the JSON parsing and base64 work is real but building the input is not measured.
  const audio = syntheticCallerAudio(4);
  const loopFrames = audio.length / FRAME_SAMPLES;
  const wireFrames: string[] = [];
  for (let k = 0; k < loopFrames; k++) {
    const pcm = audio.subarray(k * FRAME_SAMPLES, (k + 1) * FRAME_SAMPLES);
    wireFrames.push(
      JSON.stringify({
        event: 'media',
        sequenceNumber: String(k + 2),
        streamSid: 'MZ00000000000000000000000000000000',
        media: { track: 'inbound', chunk: String(k + 1), timestamp: String(k * FRAME_MS), payload: Buffer.from(encodeL16(pcm)).toString('base64') },
      }),
    );
  }
  const reply = syntheticCallerAudio(2).subarray(0, RATE * 1.5); // a 1.5 s "AI sentence"

  let outboundFramesSent = 0;
  let outboundBytes = 0;
  const sink = (frame: OutboundFrame): void => {
    // Serialising is part of the real send cost; the socket write is not simulated.
    outboundBytes += JSON.stringify(frame).length;
    if (frame.event === 'media') outboundFramesSent++;
  };

  const calls: SimulatedCall[] = [];
  for (let i = 0; i < streams; i++) {
    const call: SimulatedCall = {
      vad: await createVoiceActivityDetector({ sampleRate: RATE }),
      turns: createTurnDetector(),
      offset: (i * 37) % loopFrames,
    };
    if (i % 4 === 0) {
      const pacer = createOutboundPacer({ streamSid: `MZ${i}`, format: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 }, send: sink });
      pacer.on('drained', () => pacer.enqueue(reply));
      call.pacer = pacer;
    }
    calls.push(call);
  }

  const totalTicks = Math.round((seconds * 1000) / FRAME_MS);
  const frameTimes = new Float64Array(totalTicks * streams);
  let timed = 0;
  let turnsDetected = 0;
  let lateTicks = 0;

  for (const c of calls) c.pacer?.enqueue(reply);
  const cpuStart = process.cpuUsage();
  const wallStart = performance.now();

  await new Promise<void>((resolve) => {
    let tick = 0;
    const runTick = (): void => {
      const due = wallStart + tick * FRAME_MS;
      if (performance.now() - due > FRAME_MS) lateTicks++;
      for (const c of calls) {
        const raw = wireFrames[(c.offset + tick) % loopFrames] as string;
        const t0 = performance.now();
        const parsed = parseCallerFrame(raw);
        if (parsed.ok && parsed.frame.event === 'media') {
          const pcm = decodeL16(Buffer.from(parsed.frame.media.payload, 'base64'));
          for (const e of c.turns.push(c.vad.process(pcm))) if (e.type === 'endOfTurn') turnsDetected++;
        }
        frameTimes[timed++] = performance.now() - t0;
      }
      tick++;
      if (tick >= totalTicks) {
        resolve();
        return;
      }
      // Absolute schedule: a late tick shortens the next wait instead of shifting all later ones.
      setTimeout(runTick, Math.max(0, wallStart + tick * FRAME_MS - performance.now()));
    };
    runTick();
  });

  const wallMs = performance.now() - wallStart;
  const cpu = process.cpuUsage(cpuStart);
  for (const c of calls) {
    c.pacer?.dispose();
    c.vad.dispose();
  }
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const sorted = frameTimes.subarray(0, timed).sort();
  void outboundBytes;
  return {
    streams,
    cpuMsPerStreamSecond: round(cpuMs / (streams * (wallMs / 1000))),
    p99FrameMs: round(percentile(sorted, 0.99), 4),
    p50FrameMs: round(percentile(sorted, 0.5), 4),
    coresUsed: round(cpuMs / wallMs),
    lateTicks,
    framesHandled: timed,
    outboundFramesSent,
    turnsDetected,
    note: 'media layer only: no speech engine (STT/TTS) or brain; inbound L16 16 kHz, outbound µ-law 8 kHz on 1 in 4 calls; socket I/O not simulated',
  };
}

function round(v: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
