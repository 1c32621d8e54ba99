import { describe, expect, it } from 'vitest';
import {
  DEFAULT_BARGE_IN_MS,
  DEFAULT_END_OF_TURN_SILENCE_MS,
  DEFAULT_MIN_SPEECH_MS,
  createTurnDetector,
} from '../../src/media/turn-detector';
import type { TurnEvent } from '../../src/media/turn-detector';
import type { VadFrame } from '../../src/media/vad';

/** Build 20 ms frames from a pattern like "...####..": '#' voiced, '.' silent. */
function frames(pattern: string, startMs = 0, frameMs = 20): VadFrame[] {
  return [...pattern].map((c, i) => ({
    startMs: startMs + i * frameMs,
    endMs: startMs + (i + 1) * frameMs,
    voiced: c === '#',
  }));
}

const v = (n: number) => '#'.repeat(n);
const s = (n: number) => '.'.repeat(n);

describe('turn detector', () => {
  it('exports its defaults', () => {
    expect(DEFAULT_END_OF_TURN_SILENCE_MS).toBe(500);
    expect(DEFAULT_MIN_SPEECH_MS).toBe(120);
    expect(DEFAULT_BARGE_IN_MS).toBe(250);
  });

  it('fires end of turn 500 ms after the last voiced frame', () => {
    const td = createTurnDetector();
    const events = td.push(frames(s(5) + v(20) + s(40)));
    expect(events).toEqual<TurnEvent[]>([
      { type: 'speechStart', atMs: 100 },
      { type: 'endOfTurn', startMs: 100, lastVoicedMs: 500, atMs: 1000 },
    ]);
    expect(td.inTurn).toBe(false);
  });

  it('fires only once the silence is long enough (frame by frame)', () => {
    const td = createTurnDetector();
    const all = frames(v(10) + s(30));
    const at: number[] = [];
    for (const f of all) for (const e of td.push(f)) if (e.type === 'endOfTurn') at.push(f.endMs);
    expect(at).toEqual([200 + 500]);
  });

  it('honours a configured silence and pauses shorter than it', () => {
    const td = createTurnDetector({ endOfTurnSilenceMs: 800 });
    const events = td.push(frames(v(10) + s(30) + v(10) + s(45)));
    const ends = events.filter((e) => e.type === 'endOfTurn');
    expect(ends).toEqual([{ type: 'endOfTurn', startMs: 0, lastVoicedMs: 1000, atMs: 1800 }]);
  });

  it('ignores clicks shorter than the minimum speech duration', () => {
    const td = createTurnDetector();
    // 100 ms bursts separated by real silence never become a turn.
    expect(td.push(frames(v(5) + s(10) + v(3) + s(40)))).toEqual([]);
    // 140 ms is enough.
    expect(td.push(frames(v(7) + s(30), 2000)).map((e) => e.type)).toEqual(['speechStart', 'endOfTurn']);
  });

  it('barges in only while the AI speaks and only after 250 ms of speech', () => {
    const td = createTurnDetector();
    expect(td.push(frames(v(20) + s(30))).some((e) => e.type === 'bargeIn')).toBe(false);

    td.setAiSpeaking(true);
    const events = td.push(frames(s(5) + v(20) + s(30), 2000));
    const barge = events.filter((e) => e.type === 'bargeIn');
    // Speech starts at 2100; the first 20 ms frame boundary at or past 250 ms is 2360.
    expect(barge).toEqual([{ type: 'bargeIn', atMs: 2360 }]);
  });

  it('does not barge in on short bursts, but tolerates small gaps within speech', () => {
    const td = createTurnDetector();
    td.setAiSpeaking(true);
    // 200 ms of speech, then silence: below threshold.
    expect(td.push(frames(v(10) + s(40))).filter((e) => e.type === 'bargeIn')).toEqual([]);
    // 60 ms gaps are bridged: #### .. #### .. #### reaches 250 ms of span.
    const ev = td.push(frames(v(5) + s(3) + v(5) + s(3) + v(5), 5000));
    expect(ev.filter((e) => e.type === 'bargeIn')).toEqual([{ type: 'bargeIn', atMs: 5000 + 260 }]);
    // Long gaps reset the run.
    const td2 = createTurnDetector();
    td2.setAiSpeaking(true);
    expect(td2.push(frames(v(6) + s(8) + v(6) + s(8) + v(6))).filter((e) => e.type === 'bargeIn')).toEqual([]);
  });

  it('barges in once per AI utterance, with a configurable threshold', () => {
    const heard: number[] = [];
    const td = createTurnDetector({ bargeInMs: 400 }, { bargeIn: (at) => heard.push(at) });
    td.setAiSpeaking(true);
    td.push(frames(v(40)));
    expect(heard).toEqual([400]);
    td.push(frames(v(40), 800));
    expect(heard).toEqual([400]);
    td.setAiSpeaking(false);
    td.setAiSpeaking(true);
    td.push(frames(v(40), 1600));
    expect(heard).toEqual([400, 1620]); // the run continued from before: first frame re-triggers
  });

  it('calls listeners and is deterministic', () => {
    const log: string[] = [];
    const mk = () =>
      createTurnDetector(
        {},
        {
          speechStart: (at) => log.push(`start ${at}`),
          endOfTurn: (t) => log.push(`end ${t.startMs}-${t.lastVoicedMs}@${t.atMs}`),
          bargeIn: (at) => log.push(`barge ${at}`),
        },
      );
    const pattern = frames(s(3) + v(30) + s(30));
    mk().push(pattern);
    const first = [...log];
    log.length = 0;
    mk().push(pattern);
    expect(log).toEqual(first);
    expect(first).toEqual(['start 60', 'end 60-660@1160']);
  });
});
