// The live wallboard: the latest snapshot the server pushed over the agent channel (a
// `wallboard` message, sent to leads and admins at most every 2 s and only on change), or
// the one fetched when the view opened. No polling: the channel is the clock.
import { create } from 'zustand';
import type { WallboardMessage, WallboardSnapshot } from '../../../contracts/analytics-api';

export interface WallboardStore {
  snapshot: WallboardSnapshot | null;
  /** Keeps the newer of the two when the initial GET and a pushed message race. */
  apply(snapshot: WallboardSnapshot): void;
  reset(): void;
}

export const useWallboardStore = create<WallboardStore>((set) => ({
  snapshot: null,
  apply: (snapshot) =>
    set((s) => (s.snapshot && Date.parse(s.snapshot.at) > Date.parse(snapshot.at) ? s : { snapshot })),
  reset: () => set({ snapshot: null }),
}));

/** The channel delivers JSON typed as AgentServerMessage; a wallboard push is recognised here. */
export function isWallboardMessage(message: { type: string }): message is WallboardMessage {
  return message.type === 'wallboard' && typeof (message as Partial<WallboardMessage>).snapshot === 'object';
}

/** A wait measured at the snapshot keeps growing on screen until the next snapshot. */
export function liveMs(measuredMs: number, snapshotAt: string, nowMs: number): number {
  const at = Date.parse(snapshotAt);
  return Number.isFinite(at) ? measuredMs + Math.max(0, nowMs - at) : measuredMs;
}
