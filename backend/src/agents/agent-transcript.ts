// The agent's side of a call, transcribed live: voice activity and end of turn on the
// agent's audio, each final line stored as `transcript.final` with speaker "agent". Fed by
// the agent audio leg (local carrier) or by the outbound track of Twilio's fork stream.
import { createTurnDetector } from '../media/turn-detector';
import { createVoiceActivityDetector } from '../media/vad';
import type { SpeechToText, SttFinal } from '../speech/types';
import type { SessionStore } from '../store/session-store';

export interface AgentTranscriptOptions {
  stt: SpeechToText;
  store: SessionStore;
  sessionId: string;
  endOfTurnSilenceMs: number;
  onPartial?: (text: string) => void;
}

export interface AgentTranscript {
  /** 16 kHz samples of the agent's voice, at real time. */
  write(pcm16k: Int16Array): void;
  close(): void;
}

export async function openAgentTranscript(opts: AgentTranscriptOptions): Promise<AgentTranscript> {
  const vad = await createVoiceActivityDetector({ sampleRate: 16000 });
  const stt = opts.stt.openStream({ speaker: 'agent', sampleRate: 16000 });
  let pendingFinal: ((f: SttFinal) => void) | undefined;
  stt.on('final', (f) => {
    const resolve = pendingFinal;
    pendingFinal = undefined;
    resolve?.(f);
  });
  stt.on('partial', (p) => opts.onPartial?.(p.text));
  stt.on('error', () => undefined);
  const turns = createTurnDetector(
    { endOfTurnSilenceMs: opts.endOfTurnSilenceMs },
    {
      endOfTurn: () => {
        const final = new Promise<SttFinal>((resolve) => {
          pendingFinal = resolve;
        });
        stt.endUtterance();
        void final
          .then(async (f) => {
            const text = f.text.trim();
            if (!text) return;
            await opts.store.appendEvent(opts.sessionId, 'transcript.final', {
              speaker: 'agent',
              text,
              startMs: Math.round(f.startMs),
              endMs: Math.round(f.endMs),
              ...(f.confidence !== undefined ? { confidence: f.confidence } : {}),
            });
          })
          .catch(() => undefined);
      },
    },
  );
  let closed = false;
  return {
    write(pcm16k) {
      if (closed) return;
      stt.write(pcm16k);
      const frames = vad.process(pcm16k);
      if (frames.length > 0) turns.push(frames);
    },
    close() {
      if (closed) return;
      closed = true;
      vad.dispose();
      void stt.close();
    },
  };
}
