// Caller audio for tests: flite-synthesized utterances (through the same local TTS the product
// uses), silence to pad them, and WAV files for Chromium's fake microphone. All 16 kHz mono.

import { writeFile } from 'node:fs/promises';
import { createFliteTextToSpeech } from '../../src/speech/flite-tts';
import { SPEECH_SAMPLE_RATE } from '../../src/speech/types';
import { encodeWav } from '../../src/speech/wav';
import { concatPcm, synthesizeWhole } from '../../src/speech/whole-utterance';

export { concatPcm };

/** The whole utterance as one buffer. slt by default: a different voice from the agent's kal16. */
export async function synthesizeCallerUtterance(text: string, voice = 'slt'): Promise<Int16Array> {
  return synthesizeWhole(createFliteTextToSpeech({ voice }), text);
}

export function silence(ms: number, sampleRate = SPEECH_SAMPLE_RATE): Int16Array {
  return new Int16Array(Math.round((ms * sampleRate) / 1000));
}

export function toWav(pcm: Int16Array, sampleRate = SPEECH_SAMPLE_RATE): Uint8Array {
  return encodeWav(pcm, sampleRate);
}

export async function writeWav(path: string, pcm: Int16Array, sampleRate = SPEECH_SAMPLE_RATE): Promise<void> {
  await writeFile(path, toWav(pcm, sampleRate));
}
