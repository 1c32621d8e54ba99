// The analytics and review endpoints in one place, typed by contracts/analytics-api.ts, so
// the screens never build URLs. Query strings skip empty filters, which the server would
// otherwise refuse as malformed.
import type {
  AgentDashboard,
  AiQueueView,
  ExportView,
  QaCommentRequest,
  QaScoreRequest,
  SessionQa,
  SessionSearchResult,
  TeamTable,
  WallboardSnapshot,
} from '../../../contracts/analytics-api';
import type { SessionDetail } from '../../../contracts/api';
import { useAuthStore } from '../state/auth-store';
import { http } from '../state/desk';
import { exportFilename } from './csv-export';
import { rangeParams, type DateRange } from './date-range';

export type QueryValue = string | number | boolean | null | undefined;

/** "?a=1&b=x" from the non-empty values, or "" when there are none. */
export function queryString(params: Record<string, QueryValue>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === null || value === undefined || value === '') continue;
    search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

export const analyticsPaths = {
  agent: (agentId: string) => `/api/analytics/agents/${encodeURIComponent(agentId)}`,
  team: '/api/analytics/team',
  aiQueue: '/api/analytics/ai-queue',
  wallboard: '/api/analytics/wallboard',
  exportCsv: '/api/analytics/export.csv',
  search: '/api/review/sessions',
  session: (id: string) => `/api/sessions/${encodeURIComponent(id)}`,
  qa: (id: string) => `/api/review/sessions/${encodeURIComponent(id)}/qa`,
  score: (id: string) => `/api/review/sessions/${encodeURIComponent(id)}/score`,
  comments: (id: string) => `/api/review/sessions/${encodeURIComponent(id)}/comments`,
  recording: (id: string) => `/api/recordings/${encodeURIComponent(id)}`,
};

export interface SearchParams {
  range: DateRange;
  team?: string;
  agentId?: string;
  queue?: string;
  disposition?: string;
  escalationReason?: string;
  sentiment?: string;
  hasRecording?: string;
  q?: string;
  limit?: number;
  offset?: number;
}

/** The server's names for the session filters (the view store uses the contract's field names). */
export function searchQueryParams(p: SearchParams): Record<string, QueryValue> {
  return {
    ...rangeParams(p.range),
    q: p.q,
    agent: p.agentId,
    team: p.team,
    queue: p.queue,
    disposition: p.disposition,
    reason: p.escalationReason,
    sentiment: p.sentiment,
    hasRecording: p.hasRecording,
    limit: p.limit,
    offset: p.offset,
  };
}

export const analytics = {
  /** 'me' is the signed-in user (an agent may open only their own). */
  agentDashboard: (agentId: string | 'me', range: DateRange, signal?: AbortSignal) =>
    http.get<AgentDashboard>(
      `${analyticsPaths.agent(agentId === 'me' ? (useAuthStore.getState().user?.id ?? '') : agentId)}${queryString(rangeParams(range))}`,
      signal,
    ),
  team: (range: DateRange, team: string, signal?: AbortSignal) =>
    http.get<TeamTable>(`${analyticsPaths.team}${queryString({ ...rangeParams(range), team })}`, signal),
  aiQueue: (range: DateRange, team: string, slaSeconds: number, signal?: AbortSignal) =>
    http.get<AiQueueView>(
      `${analyticsPaths.aiQueue}${queryString({ ...rangeParams(range), team, slaSeconds })}`,
      signal,
    ),
  wallboard: (signal?: AbortSignal) => http.get<WallboardSnapshot>(analyticsPaths.wallboard, signal),
  /** The server's CSV of a view, fetched with the token (a plain link could not carry it). */
  exportCsv: async (view: ExportView, params: Record<string, QueryValue>, range: DateRange) => {
    const blob = await http.blob(`${analyticsPaths.exportCsv}${queryString({ view, ...rangeParams(range), ...params })}`);
    return { blob, filename: exportFilename(view, range.from, range.to) };
  },
};

export const reviews = {
  search: (p: SearchParams, signal?: AbortSignal) =>
    http.get<SessionSearchResult>(`${analyticsPaths.search}${queryString(searchQueryParams(p))}`, signal),
  session: (id: string, signal?: AbortSignal) => http.get<SessionDetail>(analyticsPaths.session(id), signal),
  qa: (id: string, signal?: AbortSignal) => http.get<SessionQa>(analyticsPaths.qa(id), signal),
  /** The server answers with the new id and total; the screen reloads the session's QA to show it. */
  score: (id: string, body: QaScoreRequest) => http.post<{ id: string; total: number }>(analyticsPaths.score(id), body),
  comment: (id: string, body: QaCommentRequest) => http.post<{ id: string }>(analyticsPaths.comments(id), body),
  recording: (id: string) => http.blob(analyticsPaths.recording(id)),
};
