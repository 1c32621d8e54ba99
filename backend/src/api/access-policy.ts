// Who may read what: the one rule every route and the agent channel apply to sessions and
// everything hanging off them (events, recordings, customers, notes, QA), and what a viewer
// sees of verification secrets. docs/security.md has the table.
//
// - Admins see everything, secrets included.
// - Leads see the sessions their team handled (any agent on the session is in the lead's
//   team), and the customers verified on those sessions.
// - Agents see the sessions they handled (they are added to a session when they accept it),
//   and the customers verified on those sessions.
// - A customer record opens only through a *verified* link: a session whose caller proved
//   who they are (today the AI's verify_identity; agent-side verification will record the
//   same `identity.verified` event and session link). Caller ID alone proposes a candidate
//   and opens nothing.
// - Zip code and date of birth are the verification secrets: only admins get them in clear,
//   from the CRM record and from the answers callers gave to the identity check.
import type { SessionSummary } from '../../../contracts/api';
import type { Customer } from '../../../contracts/crm';
import type { AnySessionEvent } from '../../../contracts/events';
import type { User, UserDirectory } from '../auth/users';
import type { SessionStore } from '../store/session-store';

export const MASKED_ZIP = '•••••';
export const MASKED_DOB = '••••-••-••';

/** How many recent sessions a customer check looks through (the CRM card shows far fewer). */
const CUSTOMER_SCAN = 500;

export type CustomerAccess =
  | { allowed: true; /** A verified session with this customer the user is on now, if any. */ sessions: SessionSummary[] }
  | { allowed: false; code: 'forbidden' | 'not_verified'; message: string };

export class AccessPolicy {
  readonly #users: UserDirectory;
  readonly #store: SessionStore;

  constructor(users: UserDirectory, store: SessionStore) {
    this.#users = users;
    this.#store = store;
  }

  /**
   * The agents whose sessions this viewer may see: undefined for all (admins). Session lists
   * are filtered by it in the store, so paging stays right.
   */
  async scope(viewer: User): Promise<readonly string[] | undefined> {
    if (viewer.role === 'admin') return undefined;
    if (viewer.role === 'agent') return [viewer.id];
    const team = (await this.#users.list()).filter((u) => u.team === viewer.team).map((u) => u.id);
    return team.includes(viewer.id) ? team : [...team, viewer.id];
  }

  async maySeeSession(viewer: User, session: Pick<SessionSummary, 'agentIds'>): Promise<boolean> {
    const scope = await this.scope(viewer);
    return scope === undefined || session.agentIds.some((id) => scope.includes(id));
  }

  /** Sessions this viewer may see, newest first. */
  async listSessions(viewer: User, page: { limit: number; offset?: number }): Promise<SessionSummary[]> {
    const scope = await this.scope(viewer);
    return this.#store.listSessions({ ...page, ...(scope ? { agentIds: scope } : {}) });
  }

  /** Whether the viewer may open this customer's record: only through a verified session they may see. */
  async customerAccess(viewer: User, customerId: string): Promise<CustomerAccess> {
    const sessions = (await this.listSessions(viewer, { limit: CUSTOMER_SCAN })).filter((s) => s.customerId === customerId);
    const verified = sessions.filter((s) => s.verified);
    if (viewer.role === 'admin' || verified.length > 0) return { allowed: true, sessions: verified };
    if (sessions.length > 0) {
      return {
        allowed: false,
        code: 'not_verified',
        message: 'The caller is only a candidate match (by phone number) and has not been verified, so the record stays closed. Verify the caller first.',
      };
    }
    return {
      allowed: false,
      code: 'forbidden',
      message: viewer.role === 'lead'
        ? `Leads can open the record only of a customer verified on a call their team (${viewer.team}) took.`
        : 'Agents can open the record only of a customer verified on a call they took.',
    };
  }

  /** The customer as this viewer may see it: verification secrets masked for all but admins. */
  customerView(viewer: User, customer: Customer): Customer {
    if (viewer.role === 'admin') return customer;
    return {
      ...customer,
      ...(customer.zip ? { zip: MASKED_ZIP } : {}),
      ...(customer.dob ? { dob: MASKED_DOB } : {}),
    };
  }

  /** A session summary as this viewer may see it: the customer link only once verified. */
  sessionView(viewer: User, session: SessionSummary): SessionSummary {
    if (viewer.role === 'admin' || session.verified || session.customerId === null) return session;
    return { ...session, customerId: null };
  }

  /**
   * A stored event as this viewer may see it, for all but admins: the caller's answers to
   * the identity check masked, and a phone lookup saying only whether an account matched
   * (which one is known once `identity.verified` names it).
   */
  eventView(viewer: User, event: AnySessionEvent): AnySessionEvent {
    if (viewer.role === 'admin' || event.type !== 'tool.called') return event;
    if (event.data.name === 'verify_identity') {
      const args: Record<string, unknown> = { ...event.data.args };
      if (typeof args.zip === 'string') args.zip = MASKED_ZIP;
      if (typeof args.dob === 'string') args.dob = MASKED_DOB;
      return { ...event, data: { ...event.data, args } };
    }
    const result = event.data.result as Record<string, unknown> | null;
    if (event.data.name === 'lookup_customer' && result && typeof result === 'object' && typeof result.customerId === 'string') {
      return { ...event, data: { ...event.data, result: { ...result, customerId: null } } };
    }
    return event;
  }
}
