// Builds WAV files that Chromium plays as its microphone (--use-file-for-fake-audio-capture):
// caller speech synthesized with a flite voice, with silences placed so the caller speaks
// when the test expects it (Chromium loops the file, so end with a long silence).
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * How long a scripted caller waits before speaking: the greeting is about 8.3 s of audio and
 * the call takes a moment to set up. Talking over it would be a barge-in, and Chromium's echo
 * canceller distorts double-talk, which pocketsphinx then mishears.
 */
export const AFTER_GREETING_SECONDS = 14;

/** `beeps`: a tone at `hz` in 0.3 s beeps with 0.2 s gaps (noise suppression keeps beeps, not a steady tone). */
export type MicrophonePart = { silence: number } | { say: string; voice?: string } | { beeps: number; seconds: number };

export function fakeMicrophoneScript(parts: MicrophonePart[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-mic-'));
  const files = parts.map((part, i) => {
    const raw = join(dir, `part-${i}.raw.wav`);
    const out = join(dir, `part-${i}.wav`);
    if ('silence' in part) {
      execFileSync('sox', ['-n', '-r', '16000', '-c', '1', '-b', '16', out, 'trim', '0', String(part.silence)]);
    } else if ('beeps' in part) {
      const repeats = Math.max(0, Math.ceil(part.seconds / 0.5) - 1);
      execFileSync('sox', ['-n', '-r', '16000', '-c', '1', '-b', '16', out, 'synth', '0.3', 'sine', String(part.beeps), 'vol', '0.4', 'pad', '0', '0.2', 'repeat', String(repeats)]);
    } else {
      execFileSync('flite', ['-voice', part.voice ?? 'rms', '-t', part.say, '-o', raw]);
      execFileSync('sox', [raw, '-r', '16000', '-c', '1', '-b', '16', out]);
    }
    return out;
  });
  const microphone = join(dir, 'microphone.wav');
  execFileSync('sox', [...files, microphone]);
  return microphone;
}

export function fakeMicrophoneWav(text: string, opts: { leadSeconds: number; tailSeconds: number; voice?: string }): string {
  return fakeMicrophoneScript([{ silence: opts.leadSeconds }, { say: text, ...(opts.voice ? { voice: opts.voice } : {}) }, { silence: opts.tailSeconds }]);
}

export function chromiumMicrophoneArgs(wav: string): string[] {
  return ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${wav}`, '--autoplay-policy=no-user-gesture-required'];
}
