// Builds WAV files that Chromium plays as its microphone (--use-file-for-fake-audio-capture):
// caller speech synthesized with a flite voice, padded with silence so the caller waits for
// the AI to finish its greeting before speaking.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function fakeMicrophoneWav(text: string, opts: { leadSeconds: number; tailSeconds: number; voice?: string }): string {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-mic-'));
  const speech = join(dir, 'speech.wav');
  const padded = join(dir, 'microphone.wav');
  execFileSync('flite', ['-voice', opts.voice ?? 'rms', '-t', text, '-o', speech]);
  execFileSync('sox', [speech, '-r', '16000', '-c', '1', '-b', '16', padded, 'pad', String(opts.leadSeconds), String(opts.tailSeconds)]);
  return padded;
}

export function chromiumMicrophoneArgs(wav: string): string[] {
  return ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${wav}`, '--autoplay-policy=no-user-gesture-required'];
}
