// Users, roles and bearer tokens. Tokens are random and stored only as their SHA-256, so
// a copy of the database does not let anyone sign in; a deactivated user's tokens stop
// working at once because every check joins the user row.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Role } from '../../../contracts/api';
import type { SwitchboardDb } from '../store/database';
import { hashPassword, verifyPassword } from './passwords';

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  active: boolean;
}

export interface NewUser {
  email: string;
  name: string;
  role: Role;
  password: string;
}

// A real hash of a random password, so unknown emails cost the same time as wrong passwords.
const DUMMY_HASH = hashPassword(randomBytes(16).toString('hex'));

export class UserDirectory {
  readonly #db: SwitchboardDb;
  readonly #tokenTtlMs: number;

  constructor(db: SwitchboardDb, tokenTtlHours: number) {
    this.#db = db;
    this.#tokenTtlMs = tokenTtlHours * 3_600_000;
  }

  async create(user: NewUser): Promise<User> {
    const row = {
      id: randomUUID(),
      email: user.email.toLowerCase(),
      name: user.name,
      role: user.role,
      password_hash: await hashPassword(user.password),
      active: 1,
      created_at: new Date().toISOString(),
    };
    await this.#db.insertInto('users').values(row).execute();
    return { id: row.id, email: row.email, name: row.name, role: user.role, active: true };
  }

  async findByEmail(email: string): Promise<User | undefined> {
    const row = await this.#db.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
    return row && { id: row.id, email: row.email, name: row.name, role: row.role as Role, active: row.active === 1 };
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
    const row = await this.#db.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
    const ok = await verifyPassword(password, row?.password_hash ?? (await DUMMY_HASH));
    if (!row || !ok || row.active !== 1) return undefined;
    return { id: row.id, email: row.email, name: row.name, role: row.role as Role, active: true };
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
    const row = await this.#db
      .selectFrom('auth_tokens')
      .innerJoin('users', 'users.id', 'auth_tokens.user_id')
      .select(['users.id', 'users.email', 'users.name', 'users.role', 'users.active', 'auth_tokens.expires_at'])
      .where('auth_tokens.token_hash', '=', hashToken(token))
      .executeTakeFirst();
    if (!row || row.active !== 1 || row.expires_at <= new Date().toISOString()) return undefined;
    return { id: row.id, email: row.email, name: row.name, role: row.role as Role, active: true };
  }

  async revokeToken(token: string): Promise<void> {
    await this.#db.deleteFrom('auth_tokens').where('token_hash', '=', hashToken(token)).execute();
  }
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
