// What the call recording must not keep. Sits between a call and its CallRecorder and
// replaces two things with silence, on both channels, without shifting their alignment:
//   - keypad tones: a caller keying a card number (or a PIN, a zip) leaves no tones a
//     listener could decode. Tones are found in the audio itself (Goertzel on 20 ms blocks),
//     because carriers send DTMF both as events and in-band, and the in-band copy reaches us
//     before the event does. A block after a tone is blanked too, for its tail.
//   - everything while the agent has paused the recording (a caller reading a card aloud).
// Silence, not a cut: the file stays aligned with the session log's times.
import type { CallRecorder, CallRecording } from './call-recorder';
import { RECORDING_SAMPLE_RATE } from './call-recorder';

const BLOCK = RECORDING_SAMPLE_RATE / 50; // 20 ms
const ROWS = [697, 770, 852, 941];
const COLUMNS = [1209, 1336, 1477, 1633];
/** Share of a block's energy the strongest row and column tone must hold together (pure DTMF ≈ 1). */
const TONE_SHARE = 0.6;
/** Quieter blocks (RMS in 16-bit units, ≈ −50 dBFS) are not worth judging. */
const MIN_RMS = 100;

export interface GuardedRecorder extends CallRecorder {
  /** The agent paused: both channels are silence until resume(). */
  pause(): void;
  resume(): void;
  readonly paused: boolean;
  /** Position in the recording (caller-channel clock), for events that mark a pause. */
  readonly positionMs: number;
  /** Audio replaced by silence because it held keypad tones. */
  readonly blankedToneMs: number;
}

/** Relative power of one frequency in a block: ≈ 0.5 for each tone of a two-tone pair at equal level. */
function toneShare(block: Int16Array, frequency: number, energy: number): number {
  const coeff = 2 * Math.cos((2 * Math.PI * frequency) / RECORDING_SAMPLE_RATE);
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < block.length; i++) {
    const s = (block[i] ?? 0) + coeff * s1 - s2;
    s2 = s1;
    s1 = s;
  }
  const power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
  return (2 * power) / (block.length * energy);
}

/** Whether this block of 16 kHz audio is dominated by one DTMF row tone plus one column tone. */
export function holdsKeypadTone(block: Int16Array): boolean {
  if (block.length < BLOCK / 2) return false;
  let energy = 0;
  for (let i = 0; i < block.length; i++) energy += (block[i] ?? 0) ** 2;
  if (energy / block.length < MIN_RMS * MIN_RMS) return false;
  const row = Math.max(...ROWS.map((f) => toneShare(block, f, energy)));
  const column = Math.max(...COLUMNS.map((f) => toneShare(block, f, energy)));
  return row > 0.2 && column > 0.2 && row + column > TONE_SHARE;
}

/** One direction's tone blanking: blocks in place, remembering a tone across calls for the tail. */
function createToneBlanker() {
  let toneInLastBlock = false;
  let blanked = 0;
  return {
    get blankedSamples(): number {
      return blanked;
    },
    /** A copy of the audio with tone blocks (and the block after each) zeroed; the input itself is untouched. */
    process(pcm: Int16Array): Int16Array {
      let out: Int16Array | undefined;
      for (let at = 0; at < pcm.length; at += BLOCK) {
        const block = pcm.subarray(at, Math.min(at + BLOCK, pcm.length));
        const tone = block.length >= BLOCK / 2 ? holdsKeypadTone(block) : toneInLastBlock;
        if (tone || toneInLastBlock) {
          out ??= pcm.slice();
          out.fill(0, at, at + block.length);
          blanked += block.length;
        }
        toneInLastBlock = tone;
      }
      return out ?? pcm;
    },
  };
}

export function guardRecorder(recorder: CallRecorder): GuardedRecorder {
  const caller = createToneBlanker();
  const farSide = createToneBlanker();
  let paused = false;
  let callerSamples = 0;
  return {
    path: recorder.path,
    writeCaller(pcm16k: Int16Array): void {
      callerSamples += pcm16k.length;
      recorder.writeCaller(paused ? new Int16Array(pcm16k.length) : caller.process(pcm16k));
    },
    writeFarSide(pcm16k: Int16Array): void {
      // Silence of the same length keeps what was queued before the pause in its place.
      recorder.writeFarSide(paused ? new Int16Array(pcm16k.length) : farSide.process(pcm16k));
    },
    close(): Promise<CallRecording> {
      return recorder.close();
    },
    get backlogMs(): number {
      return recorder.backlogMs;
    },
    pause(): void {
      paused = true;
    },
    resume(): void {
      paused = false;
    },
    get paused(): boolean {
      return paused;
    },
    get positionMs(): number {
      return Math.round(callerSamples / (RECORDING_SAMPLE_RATE / 1000));
    },
    get blankedToneMs(): number {
      return Math.round((caller.blankedSamples + farSide.blankedSamples) / (RECORDING_SAMPLE_RATE / 1000));
    },
  };
}
