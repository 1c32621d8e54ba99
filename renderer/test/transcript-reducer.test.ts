// The transcript reducer: partial text replaced by its final, stale partials dropped, a
// voice line logged twice shown once, system milestones, interrupted AI replies.
import { describe, expect, it } from 'vitest';
import type { AnySessionEvent } from '../../contracts/events';
import {
  applyTranscriptEvent,
  applyTranscriptPartial,
  clearPartials,
  emptyTranscript,
  type TranscriptState,
} from '../src/state/transcript-reducer';

const at = '2025-01-01T00:00:00.000Z';
const ev = (e: Omit<AnySessionEvent, 'sessionId' | 'at'>): AnySessionEvent =>
  ({ sessionId: 's', at, ...e }) as AnySessionEvent;

function final(seq: number, speaker: 'caller' | 'agent' | 'ai', text: string): AnySessionEvent {
  return ev({ seq, type: 'transcript.final', data: { speaker, text, startMs: 0, endMs: 1 } });
}

describe('partials', () => {
  it('shows the latest partial per speaker and replaces it with the final', () => {
    let t: TranscriptState = emptyTranscript;
    t = applyTranscriptPartial(t, 'caller', 'I want', 3);
    t = applyTranscriptPartial(t, 'caller', 'I want to cancel', 3);
    t = applyTranscriptPartial(t, 'agent', 'Let me', 3);
    expect(t.partials).toEqual({ caller: 'I want to cancel', agent: 'Let me' });
    t = applyTranscriptEvent(t, final(4, 'caller', 'I want to cancel my order'));
    expect(t.partials).toEqual({ agent: 'Let me' });
    expect(t.lines.map((l) => [l.speaker, l.text])).toEqual([['caller', 'I want to cancel my order']]);
  });

  it('drops a partial that is older than the speaker’s last final', () => {
    let t = applyTranscriptEvent(emptyTranscript, final(5, 'caller', 'Hello there'));
    t = applyTranscriptPartial(t, 'caller', 'Hello the', 4);
    expect(t.partials.caller).toBeUndefined();
    t = applyTranscriptPartial(t, 'caller', 'And also', 5);
    expect(t.partials.caller).toBe('And also');
  });

  it('clears partials after a reconnect, and an empty partial clears its speaker', () => {
    let t = applyTranscriptPartial(emptyTranscript, 'caller', 'abc', 0);
    expect(applyTranscriptPartial(t, 'caller', '  ', 0).partials.caller).toBeUndefined();
    t = clearPartials(t);
    expect(t.partials).toEqual({});
    expect(clearPartials(t)).toBe(t);
  });
});

describe('lines', () => {
  it('labels AI, caller and agent lines in order and skips the AI’s recognizer copy', () => {
    let t = emptyTranscript;
    t = applyTranscriptEvent(
      t,
      ev({ seq: 1, type: 'ai.said', data: { turn: 1, text: 'Hi, I am the assistant.', citations: [] } }),
    );
    t = applyTranscriptEvent(t, final(2, 'ai', 'Hi, I am the assistant.'));
    t = applyTranscriptEvent(
      t,
      ev({ seq: 3, type: 'caller.said', data: { turn: 1, text: 'Hello', source: 'text' } }),
    );
    t = applyTranscriptEvent(t, final(4, 'agent', 'This is Sam.'));
    expect(t.lines.map((l) => l.speaker)).toEqual(['ai', 'caller', 'agent']);
  });

  it('shows a voice caller line once when logged by the recognizer and the conversation', () => {
    let t = emptyTranscript;
    t = applyTranscriptEvent(t, final(1, 'caller', 'Where is my order?'));
    t = applyTranscriptEvent(
      t,
      ev({ seq: 2, type: 'media.filler', data: { text: 'One moment', afterMs: 500 } }),
    );
    t = applyTranscriptEvent(
      t,
      ev({ seq: 3, type: 'caller.said', data: { turn: 1, text: 'where is my  order?', source: 'speech' } }),
    );
    expect(t.lines).toHaveLength(1);
    // The same words said again later are a new line.
    t = applyTranscriptEvent(t, final(4, 'caller', 'Where is my order?'));
    expect(t.lines).toHaveLength(2);
  });

  it('adds system lines for escalation, verification and state changes', () => {
    let t = emptyTranscript;
    t = applyTranscriptEvent(
      t,
      ev({ seq: 1, type: 'identity.verified', data: { customerId: 'c', method: 'zip' } }),
    );
    t = applyTranscriptEvent(
      t,
      ev({
        seq: 2,
        type: 'call.escalated',
        data: { reason: 'caller_request', detail: '', intent: 'x', queue: 'billing' },
      }),
    );
    t = applyTranscriptEvent(t, ev({ seq: 3, type: 'state.changed', data: { from: 'ai', to: 'queued' } }));
    expect(t.lines.map((l) => l.speaker)).toEqual(['system', 'system', 'system']);
    expect(t.lines[1]!.text).toContain('Caller asked for a person');
  });

  it('rewrites an interrupted AI reply to what the caller heard', () => {
    let t = applyTranscriptEvent(
      emptyTranscript,
      ev({ seq: 1, type: 'ai.said', data: { turn: 1, text: 'Your order ships Friday.', citations: [] } }),
    );
    t = applyTranscriptEvent(
      t,
      ev({
        seq: 2,
        type: 'ai.interrupted',
        data: { turn: 1, heardText: 'Your order', plannedText: 'Your order ships Friday.', heardMs: 600 },
      }),
    );
    expect(t.lines[0]!.text).toBe('Your order [cut off]');
  });

  it('ignores events that are not part of the conversation', () => {
    const t = applyTranscriptEvent(
      emptyTranscript,
      ev({
        seq: 1,
        type: 'tool.called',
        data: { turn: 1, name: 'order_status', args: {}, ok: true, result: {} },
      }),
    );
    expect(t).toBe(emptyTranscript);
  });
});

describe('translation for the agent', () => {
  it('puts each translation under its original, also when the original was the dropped copy', () => {
    let t: TranscriptState = emptyTranscript;
    t = applyTranscriptEvent(t, ev({ seq: 1, type: 'caller.language', data: { language: 'es-ES', source: 'speech' } }));
    t = applyTranscriptEvent(t, final(2, 'caller', '¿Dónde está mi pedido?'));
    // The conversation's copy of the same words is dropped; its translation still lands.
    t = applyTranscriptEvent(t, ev({ seq: 3, type: 'caller.said', data: { turn: 1, text: '¿Dónde está mi pedido?', source: 'speech' } }));
    t = applyTranscriptEvent(t, ev({ seq: 4, type: 'transcript.translated', data: { ofSeq: 3, speaker: 'caller', from: 'es-ES', to: 'en-US', text: 'Where is my order?', provider: 'p' } }));
    expect(t.lines.map((l) => [l.speaker, l.text, l.translation?.text])).toEqual([
      ['system', "Caller's language: es-ES (identified from speech)", undefined],
      ['caller', '¿Dónde está mi pedido?', 'Where is my order?'],
    ]);
  });

  it('marks the agent’s words the caller heard translated', () => {
    const t = applyTranscriptEvent(emptyTranscript, ev({ seq: 5, type: 'agent.spoken_translated', data: { agentId: 'a', original: 'Let me check', from: 'en-US', to: 'es-ES', text: 'Déjeme comprobarlo' } }));
    expect(t.lines[0]).toMatchObject({ speaker: 'agent', text: 'Let me check', spokenAs: { text: 'Déjeme comprobarlo', to: 'es-ES' } });
  });
});
