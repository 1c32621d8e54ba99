// What the desk knows about the floor around it: who can take a transfer right now (asked
// for when the transfer picker opens) and the figures of the agent's own queues (pushed).
import { create } from 'zustand';
import type { CustomerMatchView, TransferOptionsView } from '../../../contracts/agent-channel';

export type QueueFigures = TransferOptionsView['queues'];

export interface FloorStore {
  options: TransferOptionsView | null;
  optionsAt: number | null;
  figures: QueueFigures;
  figuresAt: number | null;
  /** The last CRM search's matches, per call. */
  matches: Record<string, CustomerMatchView[]>;
  setMatches(sessionId: string, results: CustomerMatchView[]): void;
  setOptions(options: TransferOptionsView): void;
  setFigures(figures: QueueFigures): void;
  reset(): void;
}

export const useFloorStore = create<FloorStore>((set) => ({
  options: null,
  optionsAt: null,
  figures: [],
  figuresAt: null,
  matches: {},
  setMatches: (sessionId, results) => set((s) => ({ matches: { ...s.matches, [sessionId]: results } })),
  setOptions: (options) => set({ options, optionsAt: Date.now() }),
  setFigures: (figures) => set({ figures, figuresAt: Date.now() }),
  reset: () => set({ options: null, optionsAt: null, figures: [], figuresAt: null, matches: {} }),
}));
