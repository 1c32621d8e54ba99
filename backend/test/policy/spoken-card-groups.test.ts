import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { joinSpokenCardGroups } from '../../src/policy/spoken-card-groups';
import type { SpeechToText, SttFinal, SttStream } from '../../src/speech/types';

/** A recognizer whose finals the test dictates, one per utterance. */
function fakeRecognizer() {
  const streams: Array<EventEmitter & SttStream> = [];
  const stt: SpeechToText = {
    provider: 'fake',
    status: async () => ({ name: 'fake', available: true }),
    openStream: () => {
      const stream = Object.assign(new EventEmitter(), {
        write: () => undefined,
        endUtterance: () => undefined,
        close: async () => undefined,
      }) as unknown as EventEmitter & SttStream;
      streams.push(stream);
      return stream;
    },
  };
  return { stt, streams };
}

function caller(texts: string[]): string[] {
  const { stt, streams } = fakeRecognizer();
  const stream = joinSpokenCardGroups(stt).openStream({ speaker: 'caller', sampleRate: 16000 });
  const heard: string[] = [];
  stream.on('final', (f: SttFinal) => heard.push(f.text));
  texts.forEach((text, i) => streams[0]!.emit('final', { text, startMs: i * 1000, endMs: i * 1000 + 800, confidence: 0.9 }));
  return heard;
}

describe('joinSpokenCardGroups', () => {
  it('joins a card read in four groups into one turn (three empty turns before it)', () => {
    expect(caller(['four one one one', 'one one one one', 'one one one one', 'one one one one'])).toEqual([
      '',
      '',
      '',
      'four one one one one one one one one one one one one one one one',
    ]);
  });

  it('joins an Amex read 4-6-5 and typed-style digit groups', () => {
    expect(caller(['3782', '822463', '10005']).at(-1)).toBe('3782 822463 10005');
  });

  it('hands held digits on with the next turn that has words', () => {
    expect(caller(['four one one one', 'sorry what was that'])).toEqual(['', 'four one one one sorry what was that']);
  });

  it('leaves zips, dates of birth, menu digits and sentences alone', () => {
    const said = ['nine four one oh seven', 'three oh three oh one', 'oh four one two one nine eight five', 'one', 'where is my order', '1234', 'five five five oh one oh oh oh oh one'];
    expect(caller(said)).toEqual(said);
  });

  it('gives the joined turn the span and the lower confidence of its parts', () => {
    const { stt, streams } = fakeRecognizer();
    const stream = joinSpokenCardGroups(stt).openStream({ speaker: 'caller', sampleRate: 16000 });
    const finals: SttFinal[] = [];
    stream.on('final', (f: SttFinal) => finals.push(f));
    streams[0]!.emit('final', { text: '4111 1111', startMs: 100, endMs: 900, confidence: 0.9 });
    streams[0]!.emit('final', { text: '1111 1111', startMs: 2000, endMs: 2900, confidence: 0.6 });
    expect(finals.at(-1)).toEqual({ text: '4111 1111 1111 1111', startMs: 100, endMs: 2900, confidence: 0.6 });
  });

  it('does not wrap the agent side', () => {
    const { stt, streams } = fakeRecognizer();
    const stream = joinSpokenCardGroups(stt).openStream({ speaker: 'agent', sampleRate: 16000 });
    expect(stream).toBe(streams[0]);
  });
});
