// The agent's own standing on the channel: profile from `welcome`, presence, the lists the
// server offers (dispositions, queues), the link's health, and short notices for the user.
import { create } from 'zustand';
import type { AgentPresence } from '../../../contracts/agent-channel';
import type { QueueSkill } from '../../../contracts/conversation';
import type { ChannelStatus } from '../api/agent-channel-client';

export interface Notice {
  id: number;
  kind: 'error' | 'info';
  text: string;
}

export interface AgentStore {
  agent: { id: string; name: string; role: string; skills: QueueSkill[] } | null;
  presence: AgentPresence;
  dispositions: string[];
  queues: QueueSkill[];
  channel: ChannelStatus;
  notices: Notice[];
  /** When an offer rang out unanswered (the server then set the agent away); null once acknowledged. */
  missedOfferAt: string | null;
  setMissedOffer(at: string | null): void;
  setWelcome(w: {
    agent: AgentStore['agent'];
    presence: AgentPresence;
    dispositions: string[];
    queues: QueueSkill[];
  }): void;
  setPresence(presence: AgentPresence): void;
  setChannel(status: ChannelStatus): void;
  notify(kind: Notice['kind'], text: string): void;
  dismissNotice(id: number): void;
  reset(): void;
}

let noticeCounter = 0;

const initial = {
  agent: null,
  presence: 'offline' as AgentPresence,
  dispositions: [] as string[],
  queues: [] as QueueSkill[],
  channel: { state: 'idle', failures: 0, nextRetryAt: null } as ChannelStatus,
  notices: [] as Notice[],
  missedOfferAt: null as string | null,
};

export const useAgentStore = create<AgentStore>((set) => ({
  ...initial,
  setWelcome: (w) =>
    set({ agent: w.agent, presence: w.presence, dispositions: w.dispositions, queues: w.queues }),
  // Going available again answers the missed-offer notice as well.
  setPresence: (presence) => set((s) => ({ presence, missedOfferAt: presence === 'available' ? null : s.missedOfferAt })),
  setMissedOffer: (missedOfferAt) => set({ missedOfferAt }),
  setChannel: (channel) => set({ channel }),
  notify: (kind, text) =>
    set((s) => ({
      // The same message twice in a row (e.g. repeated offline clicks) shows once.
      notices: s.notices.some((n) => n.text === text)
        ? s.notices
        : [...s.notices.slice(-3), { id: ++noticeCounter, kind, text }],
    })),
  dismissNotice: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
  reset: () => set(initial),
}));
