// Calls this desk holds, keyed by session id, each with its last applied seq, transcript,
// suggestions and wrap-up state (see call-reducer.ts for the rules). A call leaves once its
// wrap-up is acknowledged; late messages for it are then ignored instead of reviving it.
import { create } from 'zustand';
import {
  afterReconnect,
  applySessionMessage,
  dismissSuggestion,
  markSuggestionUsed,
  resumeList,
  startLocalWrapUp,
  type CallState,
  type SessionMessage,
} from './call-reducer';

export interface CallsStore {
  calls: Record<string, CallState>;
  /** Session ids in arrival order; the first one still here is the call on screen. */
  order: string[];
  closed: Record<string, true>;
  apply(message: SessionMessage): void;
  resume(): Array<{ sessionId: string; afterSeq: number }>;
  reconnected(): void;
  dismissSuggestion(sessionId: string, suggestionId: string): void;
  markSuggestionUsed(sessionId: string, suggestionId: string): void;
  startWrapUp(sessionId: string): void;
  close(sessionId: string): void;
  reset(): void;
}

export const useCallsStore = create<CallsStore>((set, get) => ({
  calls: {},
  order: [],
  closed: {},
  apply: (message) =>
    set((s) => {
      if (s.closed[message.sessionId]) return s;
      const before = s.calls[message.sessionId];
      const after = applySessionMessage(before, message);
      if (after === before) return s;
      return {
        calls: { ...s.calls, [message.sessionId]: after },
        order: before ? s.order : [...s.order, message.sessionId],
      };
    }),
  resume: () =>
    resumeList(
      get()
        .order.map((id) => get().calls[id]!)
        .filter(Boolean),
    ),
  reconnected: () =>
    set((s) => {
      const calls: Record<string, CallState> = {};
      for (const [id, call] of Object.entries(s.calls)) calls[id] = afterReconnect(call);
      return { calls };
    }),
  dismissSuggestion: (sessionId, suggestionId) =>
    update(set, sessionId, (c) => dismissSuggestion(c, suggestionId)),
  markSuggestionUsed: (sessionId, suggestionId) =>
    update(set, sessionId, (c) => markSuggestionUsed(c, suggestionId)),
  startWrapUp: (sessionId) => update(set, sessionId, (c) => startLocalWrapUp(c, new Date().toISOString())),
  close: (sessionId) =>
    set((s) => {
      const calls = { ...s.calls };
      delete calls[sessionId];
      return {
        calls,
        order: s.order.filter((id) => id !== sessionId),
        closed: { ...s.closed, [sessionId]: true },
      };
    }),
  reset: () => set({ calls: {}, order: [], closed: {} }),
}));

type Setter = (fn: (s: CallsStore) => Partial<CallsStore> | CallsStore) => void;

function update(set: Setter, sessionId: string, fn: (call: CallState) => CallState): void {
  set((s) => {
    const call = s.calls[sessionId];
    if (!call) return s;
    const next = fn(call);
    return next === call ? s : { calls: { ...s.calls, [sessionId]: next } };
  });
}

/** The call on screen: the oldest call this desk still holds. */
export function selectCurrentCall(s: CallsStore): CallState | null {
  const id = s.order[0];
  return id ? (s.calls[id] ?? null) : null;
}
