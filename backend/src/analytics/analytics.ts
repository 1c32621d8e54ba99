// The analytics module's front door: one object holding the ingest (keeps tables current),
// the dashboard queries, session search and QA reviews over the same database.
import type { UserDirectory } from '../auth/users';
import type { RoutingSnapshot } from '../routing/router';
import type { SwitchboardDb } from '../store/database';
import type { SessionStore } from '../store/session-store';
import { Dashboards } from './dashboards';
import { AnalyticsIngest } from './ingest';
import type { PresenceName } from './presence';
import { QaReviews } from './qa';
import { SessionSearchIndex } from './search';

/** The floor across backends (cluster/cluster-floor.ts), when BUS=nats. */
export interface FloorView {
  merged(): { routing: RoutingSnapshot; callsInAi: number };
  onChange(listener: () => void): () => void;
}

export class Analytics {
  readonly ingest: AnalyticsIngest;
  readonly dashboards: Dashboards;
  readonly search: SessionSearchIndex;
  readonly qa: QaReviews;
  /** Set in a cluster: the wallboard then shows every backend's queues, agents and AI calls. */
  floor: FloorView | undefined;

  constructor(db: SwitchboardDb, store: SessionStore, now: () => number = Date.now) {
    this.ingest = new AnalyticsIngest(db, store);
    this.dashboards = new Dashboards(db, now);
    this.search = new SessionSearchIndex(db);
    this.qa = new QaReviews(db);
  }

  static async start(db: SwitchboardDb, store: SessionStore, users: UserDirectory, now?: () => number): Promise<Analytics> {
    const analytics = new Analytics(db, store, now);
    await analytics.ingest.start(users);
    return analytics;
  }

  /** For the desk: call on every routing presence change. */
  recordPresence(agentId: string, presence: PresenceName, at?: Date): Promise<void> {
    return this.ingest.recordPresence(agentId, presence, at);
  }
}
