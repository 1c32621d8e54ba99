// Users, roles, teams and skills, and bearer tokens. Tokens are random and stored only as
// their SHA-256, so a copy of the database does not let anyone sign in; a deactivated
// user's tokens stop working at once because every check joins the user row.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { UserView } from '../../../contracts/agent-api';
import type { Role } from '../../../contracts/api';
import type { QueueSkill } from '../../../contracts/conversation';
import type { SwitchboardDb } from '../store/database';
import type { UsersTable } from '../store/schema';
import { hashPassword, verifyPassword } from './passwords';

export type User = UserView;

/** Why a token stopped working; sockets opened with it are closed for this reason. */
export type RevocationReason = 'signed_out' | 'password_reset' | 'deactivated' | 'expired';

/**
 * Access withdrawn: every token of a user (`tokenHash` absent) or one token. Open sockets
 * listen for this, since a socket authenticated once at its upgrade.
 */
export interface AccessRevoked {
  userId: string;
  tokenHash?: string;
  reason: RevocationReason;
}

/** The result of checking a token, with the reason when it no longer works. */
export type TokenCheck = { ok: true; user: User } | { ok: false; reason: 'unknown' | 'expired' | 'deactivated' };

export interface NewUser {
  email: string;
  name: string;
  role: Role;
  password: string;
  team?: string;
  skills?: QueueSkill[];
  languages?: string[];
}

export interface UserChanges {
  name?: string;
  role?: Role;
  team?: string;
  skills?: QueueSkill[];
  languages?: string[];
  active?: boolean;
  password?: string;
}

// A real hash of a random password, so unknown emails cost the same time as wrong passwords.
const DUMMY_HASH = hashPassword(randomBytes(16).toString('hex'));

type UserRow = Pick<UsersTable, 'id' | 'email' | 'name' | 'role' | 'active'> & { team: string; skills: string; languages: string };

function toUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role as Role,
    team: row.team,
    skills: JSON.parse(row.skills) as QueueSkill[],
    languages: JSON.parse(row.languages) as string[],
    active: row.active === 1,
  };
}

const USER_COLUMNS = ['users.id', 'users.email', 'users.name', 'users.role', 'users.active', 'users.team', 'users.skills', 'users.languages'] as const;

export class UserDirectory {
  readonly #db: SwitchboardDb;
  readonly #tokenTtlMs: number;
  readonly #listeners = new Set<(user: User) => void>();
  readonly #revocationListeners = new Set<(revoked: AccessRevoked) => void>();

  constructor(db: SwitchboardDb, tokenTtlHours: number) {
    this.#db = db;
    this.#tokenTtlMs = tokenTtlHours * 3_600_000;
  }

  /** Hear about created and changed users (routing keeps its agent list from this). */
  onChange(listener: (user: User) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Hear when tokens stop working (sign-out, password reset, deactivation, purge of expired ones). */
  onRevoked(listener: (revoked: AccessRevoked) => void): () => void {
    this.#revocationListeners.add(listener);
    return () => this.#revocationListeners.delete(listener);
  }

  #revoked(revoked: AccessRevoked): void {
    for (const l of this.#revocationListeners) l(revoked);
  }

  async create(user: NewUser): Promise<User> {
    const id = randomUUID();
    await this.#db
      .insertInto('users')
      .values({
        id,
        email: user.email.toLowerCase(),
        name: user.name,
        role: user.role,
        password_hash: await hashPassword(user.password),
        active: 1,
        created_at: new Date().toISOString(),
        team: user.team ?? 'default',
        skills: JSON.stringify(user.skills ?? ['general']),
        languages: JSON.stringify(user.languages ?? []),
      })
      .execute();
    const created = (await this.get(id))!;
    for (const l of this.#listeners) l(created);
    return created;
  }

  async update(id: string, changes: UserChanges): Promise<User | undefined> {
    const values: { name?: string; role?: string; team?: string; skills?: string; languages?: string; active?: number; password_hash?: string } = {};
    if (changes.name !== undefined) values.name = changes.name;
    if (changes.role !== undefined) values.role = changes.role;
    if (changes.team !== undefined) values.team = changes.team;
    if (changes.skills !== undefined) values.skills = JSON.stringify(changes.skills);
    if (changes.languages !== undefined) values.languages = JSON.stringify(changes.languages);
    if (changes.active !== undefined) values.active = changes.active ? 1 : 0;
    if (changes.password !== undefined) values.password_hash = await hashPassword(changes.password);
    if (Object.keys(values).length > 0) await this.#db.updateTable('users').set(values).where('id', '=', id).execute();
    if (changes.active === false || changes.password !== undefined) {
      // A deactivated account or a reset password signs out everywhere.
      await this.#db.deleteFrom('auth_tokens').where('user_id', '=', id).execute();
      this.#revoked({ userId: id, reason: changes.active === false ? 'deactivated' : 'password_reset' });
    }
    const user = await this.get(id);
    if (user) for (const l of this.#listeners) l(user);
    return user;
  }

  async get(id: string): Promise<User | undefined> {
    const row = await this.#db.selectFrom('users').select(USER_COLUMNS).where('id', '=', id).executeTakeFirst();
    return row && toUser(row);
  }

  async list(): Promise<User[]> {
    const rows = await this.#db.selectFrom('users').select(USER_COLUMNS).orderBy('name').execute();
    return rows.map(toUser);
  }

  async findByEmail(email: string): Promise<User | undefined> {
    const row = await this.#db.selectFrom('users').select(USER_COLUMNS).where('email', '=', email.toLowerCase()).executeTakeFirst();
    return row && toUser(row);
  }

  async count(): Promise<number> {
    const row = await this.#db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Checks credentials; the same answer (undefined) for an unknown email and a wrong password. */
  async authenticate(email: string, password: string): Promise<User | undefined> {
    const row = await this.#db
      .selectFrom('users')
      .select([...USER_COLUMNS, 'users.password_hash'])
      .where('email', '=', email.toLowerCase())
      .executeTakeFirst();
    const ok = await verifyPassword(password, row?.password_hash ?? (await DUMMY_HASH));
    if (!row || !ok || row.active !== 1) return undefined;
    return toUser(row);
  }

  async issueToken(userId: string): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const now = Date.now();
    await this.#db
      .insertInto('auth_tokens')
      .values({
        token_hash: hashToken(token),
        user_id: userId,
        created_at: new Date(now).toISOString(),
        expires_at: new Date(now + this.#tokenTtlMs).toISOString(),
      })
      .execute();
    return token;
  }

  async userForToken(token: string): Promise<User | undefined> {
    const checked = await this.checkToken(token);
    return checked.ok ? checked.user : undefined;
  }

  /** Like userForToken, with the reason a token does not work (sockets choose their close code by it). */
  async checkToken(token: string): Promise<TokenCheck> {
    const row = await this.#db
      .selectFrom('auth_tokens')
      .innerJoin('users', 'users.id', 'auth_tokens.user_id')
      .select([...USER_COLUMNS, 'auth_tokens.expires_at'])
      .where('auth_tokens.token_hash', '=', hashToken(token))
      .executeTakeFirst();
    if (!row) return { ok: false, reason: 'unknown' };
    if (row.active !== 1) return { ok: false, reason: 'deactivated' };
    if (row.expires_at <= new Date().toISOString()) return { ok: false, reason: 'expired' };
    return { ok: true, user: toUser(row) };
  }

  async revokeToken(token: string): Promise<void> {
    const tokenHash = hashToken(token);
    const row = await this.#db.selectFrom('auth_tokens').select('user_id').where('token_hash', '=', tokenHash).executeTakeFirst();
    await this.#db.deleteFrom('auth_tokens').where('token_hash', '=', tokenHash).execute();
    if (row) this.#revoked({ userId: row.user_id, tokenHash, reason: 'signed_out' });
  }

  /** Deletes expired tokens (they no longer work anyway; a copy of the database then holds fewer). */
  async purgeExpiredTokens(now = new Date()): Promise<number> {
    const expired = await this.#db
      .selectFrom('auth_tokens')
      .select(['token_hash', 'user_id'])
      .where('expires_at', '<=', now.toISOString())
      .execute();
    if (expired.length === 0) return 0;
    await this.#db.deleteFrom('auth_tokens').where('expires_at', '<=', now.toISOString()).execute();
    for (const row of expired) this.#revoked({ userId: row.user_id, tokenHash: row.token_hash, reason: 'expired' });
    return expired.length;
  }
}

/** Tokens are stored and compared only as this hash. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
