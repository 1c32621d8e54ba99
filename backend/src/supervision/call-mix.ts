// The audio of a monitored call, mixed where the call's media is (the backend, on the local
// carrier). Who hears whom:
//
//   caller  ← agent (+ leads in barge)
//   agent   ← caller (+ leads in whisper or barge)
//   lead    ← caller + agent
//
// Each output is clocked by the side that speaks into it most (the caller's frames drive what
// the agent and the leads hear, the agent's frames drive what the caller hears); the other
// voices wait in short queues and are summed into the next driving frame. When the driving
// side goes quiet (a muted agent sends nothing), a queue longer than `maxLagMs` is played on
// its own, so a lead's barge is heard even then. A lead's voice enters the caller's queue
// only in barge: whisper audio has no path to the caller at all.
import type { MonitorMode } from '../../../contracts/supervision';

const SAMPLE_RATE = 16_000;

/** A short FIFO of 16 kHz samples: pushed in frames, taken in the driving side's frame sizes. */
export class VoiceQueue {
  #chunks: Int16Array[] = [];
  #offset = 0;
  #length = 0;
  readonly #max: number;

  constructor(maxSamples: number) {
    this.#max = maxSamples;
  }

  get length(): number {
    return this.#length;
  }

  push(pcm: Int16Array): void {
    this.#chunks.push(pcm);
    this.#length += pcm.length;
    // Never let a voice fall further behind than the cap: the oldest audio goes first.
    if (this.#length > this.#max * 4) this.take(this.#length - this.#max);
  }

  /** Up to `n` samples (fewer when the queue is shorter). */
  take(n: number): Int16Array {
    const out = new Int16Array(Math.min(n, this.#length));
    let filled = 0;
    while (filled < out.length) {
      const head = this.#chunks[0]!;
      const count = Math.min(head.length - this.#offset, out.length - filled);
      out.set(head.subarray(this.#offset, this.#offset + count), filled);
      filled += count;
      this.#offset += count;
      if (this.#offset === head.length) {
        this.#chunks.shift();
        this.#offset = 0;
      }
    }
    this.#length -= out.length;
    return out;
  }

  /** The samples beyond the lag bound, to be played on their own (the driving side is silent). */
  overflow(): Int16Array | undefined {
    return this.#length > this.#max ? this.take(this.#length - Math.floor(this.#max / 2)) : undefined;
  }

  clear(): void {
    this.#chunks = [];
    this.#offset = 0;
    this.#length = 0;
  }
}

/** Sums voices into `base` (a copy), clipping at the 16-bit range. */
export function mixInto(base: Int16Array, voices: Int16Array[]): Int16Array {
  if (voices.length === 0) return base;
  const out = new Int16Array(base);
  for (const voice of voices) {
    for (let i = 0; i < voice.length && i < out.length; i++) {
      const sum = out[i]! + voice[i]!;
      out[i] = sum > 32767 ? 32767 : sum < -32768 ? -32768 : sum;
    }
  }
  return out;
}

export interface CallMixOutputs {
  /** What the caller hears (the desk relays it over the call's media; nothing while held). */
  toCaller: (pcm16k: Int16Array) => void;
  /** What the agent hears (their audio leg). */
  toAgent: (pcm16k: Int16Array) => void;
}

interface Supervisor {
  mode: MonitorMode;
  /** The lead's audio leg. */
  hear: (pcm16k: Int16Array) => void;
  /** The agent's voice, waiting for the caller's next frame to be mixed into the lead's ear. */
  agentForLead: VoiceQueue;
  /** The lead's voice, waiting for the agent's ear (whisper and barge). */
  leadForAgent: VoiceQueue;
  /** The lead's voice, waiting for the caller's ear (barge only). */
  leadForCaller: VoiceQueue;
}

export class CallMix {
  readonly #out: CallMixOutputs;
  readonly #maxLag: number;
  readonly #supervisors = new Map<string, Supervisor>();

  constructor(out: CallMixOutputs, opts: { maxLagMs?: number } = {}) {
    this.#out = out;
    this.#maxLag = Math.round(((opts.maxLagMs ?? 60) * SAMPLE_RATE) / 1000);
  }

  get size(): number {
    return this.#supervisors.size;
  }

  modeOf(supervisorId: string): MonitorMode | undefined {
    return this.#supervisors.get(supervisorId)?.mode;
  }

  add(supervisorId: string, mode: MonitorMode, hear: (pcm16k: Int16Array) => void): void {
    this.#supervisors.set(supervisorId, {
      mode,
      hear,
      agentForLead: new VoiceQueue(this.#maxLag),
      leadForAgent: new VoiceQueue(this.#maxLag),
      leadForCaller: new VoiceQueue(this.#maxLag),
    });
  }

  /** A lead's audio leg (re)connects: their ear is this sink from now on. */
  setEar(supervisorId: string, hear: (pcm16k: Int16Array) => void): void {
    const s = this.#supervisors.get(supervisorId);
    if (s) s.hear = hear;
  }

  setMode(supervisorId: string, mode: MonitorMode): void {
    const s = this.#supervisors.get(supervisorId);
    if (!s) return;
    s.mode = mode;
    // Whatever waited for the caller was said in barge; leaving barge drops it, so nothing
    // said from now on (a whisper) can reach the caller late.
    if (mode !== 'barge') s.leadForCaller.clear();
    if (mode === 'listen') s.leadForAgent.clear();
  }

  remove(supervisorId: string): void {
    this.#supervisors.delete(supervisorId);
  }

  /** A frame of the caller's voice: to the agent (with whispers and barges) and to each lead (with the agent). */
  callerFrame(pcm: Int16Array): void {
    const leads = [...this.#supervisors.values()];
    this.#out.toAgent(mixInto(pcm, leads.map((s) => s.leadForAgent.take(pcm.length))));
    for (const s of leads) s.hear(mixInto(pcm, [s.agentForLead.take(pcm.length)]));
  }

  /** A frame of the agent's voice: to the caller (with barges) and queued for each lead's ear. */
  agentFrame(pcm: Int16Array): void {
    const leads = [...this.#supervisors.values()];
    this.#out.toCaller(mixInto(pcm, leads.map((s) => s.leadForCaller.take(pcm.length))));
    for (const s of leads) {
      s.agentForLead.push(pcm);
      const late = s.agentForLead.overflow();
      if (late) s.hear(late);
    }
  }

  /** A frame from a lead's microphone: routed by their mode (listen: nowhere). */
  supervisorFrame(supervisorId: string, pcm: Int16Array): void {
    const s = this.#supervisors.get(supervisorId);
    if (!s || s.mode === 'listen') return;
    s.leadForAgent.push(pcm);
    const toAgent = s.leadForAgent.overflow();
    if (toAgent) this.#out.toAgent(toAgent);
    if (s.mode !== 'barge') return;
    s.leadForCaller.push(pcm);
    const toCaller = s.leadForCaller.overflow();
    if (toCaller) this.#out.toCaller(toCaller);
  }
}
