// What a lead sees of supervision: the live agent calls they may monitor (pushed by the
// server on every change), the alerts pushed to them (newest first, a bounded list), and the
// call they monitor now with its mode and audio state. Agents keep only their raised hands.
import { create } from 'zustand';
import type { AgentServerMessage } from '../../../contracts/agent-channel';
import type { LiveAgentCall, MonitorMode, SupervisorAlert } from '../../../contracts/supervision';
import type { AudioLegState } from '../audio/agent-audio';
import { applyTranscriptEvent, emptyTranscript, type TranscriptState } from '../state/transcript-reducer';

/** How many alerts stay on screen (older ones are in the session log as their events). */
export const MAX_ALERTS = 50;

export interface Monitoring {
  sessionId: string;
  /** null while starting or after it ended. */
  mode: MonitorMode | null;
  leg: AudioLegState | null;
  /** Why it ended, or what went wrong, in words for the lead. */
  note: string | null;
  /** Where the call's audio is (in a cluster, the backend holding the call); null: this server. */
  mediaUrl: string | null;
  /** The call's transcript as the lead follows it (stored lines, from the start of the call). */
  transcript: TranscriptState;
}

export interface SupervisionState {
  calls: LiveAgentCall[];
  alerts: SupervisorAlert[];
  monitoring: Monitoring | null;
  /** Sessions where this agent's hand is up. */
  handsRaised: Record<string, boolean>;
  apply(message: SupervisionMessage): void;
  setMonitoring(m: Monitoring | null): void;
  patchMonitoring(patch: Partial<Monitoring>): void;
  dismissAlert(id: string): void;
  /** A stored event of the monitored call (ignored for any other session). */
  applyEvent(message: Extract<AgentServerMessage, { type: 'session.event' }>): void;
  reset(): void;
}

export type SupervisionMessage = Extract<AgentServerMessage, { type: 'supervision.calls' | 'supervision.alert' | 'monitor.state' | 'hand.state' }>;

const TYPES = new Set(['supervision.calls', 'supervision.alert', 'monitor.state', 'hand.state']);

export function isSupervisionMessage(message: { type: string }): message is SupervisionMessage {
  return TYPES.has(message.type);
}

export const useSupervisionStore = create<SupervisionState>((set) => ({
  calls: [],
  alerts: [],
  monitoring: null,
  handsRaised: {},
  apply: (message) =>
    set((s) => {
      switch (message.type) {
        case 'supervision.calls':
          return { calls: message.calls };
        case 'supervision.alert':
          return { alerts: [message.alert, ...s.alerts.filter((a) => a.id !== message.alert.id)].slice(0, MAX_ALERTS) };
        case 'monitor.state':
          if (!s.monitoring || s.monitoring.sessionId !== message.sessionId) return s;
          return {
            monitoring: {
              ...s.monitoring,
              mode: message.mode,
              note: message.reason ?? (message.mode ? null : s.monitoring.note),
              mediaUrl: message.mode ? (message.mediaUrl ?? s.monitoring.mediaUrl) : null,
            },
          };
        case 'hand.state':
          return { handsRaised: { ...s.handsRaised, [message.sessionId]: message.raised } };
      }
    }),
  setMonitoring: (monitoring) => set({ monitoring }),
  patchMonitoring: (patch) => set((s) => (s.monitoring ? { monitoring: { ...s.monitoring, ...patch } } : s)),
  dismissAlert: (id) => set((s) => ({ alerts: s.alerts.filter((a) => a.id !== id) })),
  applyEvent: (message) =>
    set((s) => {
      if (!s.monitoring || s.monitoring.sessionId !== message.sessionId) return s;
      const transcript = applyTranscriptEvent(s.monitoring.transcript, message.event);
      return transcript === s.monitoring.transcript ? s : { monitoring: { ...s.monitoring, transcript } };
    }),
  reset: () => set({ calls: [], alerts: [], monitoring: null, handsRaised: {} }),
}));

/** A fresh monitoring record for a call (the transcript fills as its events arrive). */
export function newMonitoring(sessionId: string, note: string | null = null): Monitoring {
  return { sessionId, mode: null, leg: null, note, mediaUrl: null, transcript: emptyTranscript };
}

/**
 * The server's monitor.state for a call just started (it names where the call's audio is);
 * null when none came in `waitMs` (the leg then tries this server, which says what to do).
 */
export function whenMonitoring(sessionId: string, waitMs = 3000): Promise<Monitoring | null> {
  const started = (s: SupervisionState) => (s.monitoring?.sessionId === sessionId && s.monitoring.mode ? s.monitoring : undefined);
  const now = started(useSupervisionStore.getState());
  if (now) return Promise.resolve(now);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      unsubscribe();
      resolve(null);
    }, waitMs);
    const unsubscribe = useSupervisionStore.subscribe((s) => {
      const m = started(s);
      if (!m) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(m);
    });
  });
}
