// Benchmark page (bench.html): mounts the real transcript (SessionTranscript over the calls
// store, same reducer and virtualizer as the app) and exposes hooks for the Playwright suite
// bench/suites/transcript-render.ts. Each append goes through the store and React's commit
// inside flushSync, so the time measured around it is the scripting cost of one line.
import { StrictMode } from 'react';
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import type { AnySessionEvent } from '../../contracts/events';
import { SessionTranscript } from './components/session-transcript';
import { useCallsStore } from './state/calls-store';
import './styles.css';

const SESSION = 'bench-session';
let seq = 0;

declare global {
  interface Window {
    /** Appends n transcript lines one by one; returns each append's milliseconds. */
    benchAppend: (n: number) => number[];
    /** Appends `lines` lines, awaiting a rendered frame after each; returns per-line ms. */
    benchRun: (lines: number) => Promise<number[]>;
    benchLineCount: () => number;
    benchReady: boolean;
  }
}

const phrases = [
  'I ordered a blender two weeks ago and it still has not arrived.',
  'I can help with that. Could you confirm the ZIP code on the account?',
  'Sure, it is 94110.',
  'Thank you. I see order 1042 is with the carrier and due on Friday; I will also check whether an expedited reship is possible, since the original estimate has passed.',
  'That would be great, thanks.',
];

function nextEvent(): AnySessionEvent {
  seq += 1;
  const at = new Date().toISOString();
  const text = `${phrases[seq % phrases.length]!} (#${seq})`;
  if (seq % 2 === 0)
    return {
      sessionId: SESSION,
      seq,
      at,
      type: 'transcript.final',
      data: { speaker: 'caller', text, startMs: seq * 1000, endMs: seq * 1000 + 800 },
    };
  return { sessionId: SESSION, seq, at, type: 'ai.said', data: { turn: seq, text, citations: [] } };
}

function appendOne(): number {
  const event = nextEvent();
  const t0 = performance.now();
  flushSync(() =>
    useCallsStore.getState().apply({ type: 'session.event', sessionId: SESSION, seq: event.seq, event }),
  );
  return performance.now() - t0;
}

window.benchAppend = (n) => Array.from({ length: n }, appendOne);

window.benchRun = async (lines) => {
  const times: number[] = [];
  for (let i = 0; i < lines; i++) {
    times.push(appendOne());
    await new Promise<void>((r) => requestAnimationFrame(() => r()));
  }
  return times;
};

window.benchLineCount = () => useCallsStore.getState().calls[SESSION]?.transcript.lines.length ?? 0;

useCallsStore.getState().apply({
  type: 'call.assigned',
  sessionId: SESSION,
  seq: 0,
  brief: {
    caller: {
      name: 'Bench Caller',
      phone: '+15550100001',
      nameVerified: true,
      customerId: null,
      verified: true,
    },
    wants: 'benchmark',
    aiActions: [],
    escalation: null,
    mood: 'neutral',
    moodTrend: 'steady',
    flags: [],
    transcriptTail: [],
  },
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <main className="bench-page">
      <section className="card workspace-transcript">
        <SessionTranscript sessionId={SESSION} label="Benchmark transcript" />
      </section>
    </main>
  </StrictMode>,
);
window.benchReady = true;
