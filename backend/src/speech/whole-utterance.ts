// A whole spoken line as one buffer: what a scripted caller streams, a test feeds to the
// recognizer, or the benchmark replays. Streaming playback uses synthesize() directly.
import type { TextToSpeech } from './types';

export function concatPcm(parts: readonly Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export async function synthesizeWhole(tts: TextToSpeech, text: string, voice?: string): Promise<Int16Array> {
  const parts: Int16Array[] = [];
  for await (const chunk of tts.synthesize(text, voice ? { voice } : {})) parts.push(chunk.pcm);
  return concatPcm(parts);
}
