// Which screen is open and the filters the dashboards and the session list share: the date
// range, the team (admins), the service-level threshold, and the drill-downs (an agent's
// dashboard from the team table, a session from any list). One store so that moving between
// views keeps the lead's choices, and so a row in one view can open another.
import { create } from 'zustand';
import type { Role } from '../../../contracts/api';
import { DEFAULT_SLA_SECONDS } from '../../../contracts/analytics-api';
import { presetRange, type DateRange } from '../dashboards/date-range';

export type Screen =
  | 'desk'
  | 'my-dashboard'
  | 'my-sessions'
  | 'team'
  | 'ai-queue'
  | 'wallboard'
  | 'sessions'
  | 'admin';

export const screenLabels: Record<Screen, string> = {
  desk: 'Desk',
  'my-dashboard': 'My dashboard',
  'my-sessions': 'My sessions',
  team: 'Team',
  'ai-queue': 'AI & queue',
  wallboard: 'Wallboard',
  sessions: 'Sessions',
  admin: 'Users',
};

/** The screens each role may open, in tab order. */
export function screensFor(role: Role | undefined): Screen[] {
  switch (role) {
    case 'agent':
      return ['desk', 'my-dashboard', 'my-sessions'];
    case 'lead':
      return ['desk', 'team', 'ai-queue', 'wallboard', 'sessions'];
    case 'admin':
      return ['desk', 'team', 'ai-queue', 'wallboard', 'sessions', 'admin'];
    default:
      return ['desk'];
  }
}

export interface SessionFilters {
  agentId: string;
  queue: string;
  disposition: string;
  escalationReason: string;
  sentiment: string;
  hasRecording: '' | 'true' | 'false';
  q: string;
}

export const emptySessionFilters: SessionFilters = {
  agentId: '',
  queue: '',
  disposition: '',
  escalationReason: '',
  sentiment: '',
  hasRecording: '',
  q: '',
};

export interface ViewStore {
  screen: Screen;
  /** The agent whose dashboard a lead drilled into from the team table; null = the table. */
  agentId: string | null;
  agentName: string | null;
  /** The session open in review; null = the list. */
  sessionId: string | null;
  /** The transcript line to scroll to when the session opens (a search hit). */
  focusSeq: number | null;
  range: DateRange;
  /** Admins choose a team; '' = every team. Leads always see their own team. */
  team: string;
  slaSeconds: number;
  sessionFilters: SessionFilters;
  go(screen: Screen): void;
  openAgent(agent: { id: string; name: string } | null): void;
  openSession(sessionId: string | null, focusSeq?: number | null): void;
  /** From an agent's dashboard to the session list filtered to that agent. */
  openAgentSessions(agentId: string): void;
  setRange(range: DateRange): void;
  setTeam(team: string): void;
  setSlaSeconds(seconds: number): void;
  setSessionFilters(filters: Partial<SessionFilters>): void;
  reset(): void;
}

const initial = () => ({
  screen: 'desk' as Screen,
  agentId: null,
  agentName: null,
  sessionId: null,
  focusSeq: null,
  range: presetRange('7d', new Date()),
  team: '',
  slaSeconds: DEFAULT_SLA_SECONDS,
  sessionFilters: emptySessionFilters,
});

export const useViewStore = create<ViewStore>((set) => ({
  ...initial(),
  go: (screen) => set({ screen, agentId: null, agentName: null, sessionId: null, focusSeq: null }),
  openAgent: (agent) => set({ agentId: agent?.id ?? null, agentName: agent?.name ?? null }),
  openSession: (sessionId, focusSeq = null) => set({ sessionId, focusSeq }),
  openAgentSessions: (agentId) =>
    set((s) => ({
      screen: 'sessions',
      agentId: null,
      agentName: null,
      sessionId: null,
      sessionFilters: { ...s.sessionFilters, agentId },
    })),
  setRange: (range) => set({ range }),
  setTeam: (team) => set({ team }),
  setSlaSeconds: (slaSeconds) => set({ slaSeconds }),
  setSessionFilters: (filters) => set((s) => ({ sessionFilters: { ...s.sessionFilters, ...filters } })),
  reset: () => set(initial()),
}));
