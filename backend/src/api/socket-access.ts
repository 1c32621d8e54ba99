// Who is behind each open staff socket (agent channel, agent audio), and closing them the
// moment access ends. A socket authenticates once, at its upgrade; after that only this
// module stands between a revoked token or a deactivated account and the next action, so it
// closes sockets when the user directory says access was withdrawn, re-checks the token on
// every action the hub handles, and sweeps all open sockets now and then for tokens that
// simply ran out.
import type { WebSocket } from 'ws';
import { hashToken, type AccessRevoked, type User, type UserDirectory } from '../auth/users';

/**
 * Close codes for staff sockets (documented in docs/security.md). The agent app treats both
 * as "sign in again"; 4403 lets it say the account itself was switched off.
 */
export const SOCKET_CLOSE = {
  /** The token is missing, expired, revoked (sign-out) or replaced (password reset). */
  signInAgain: 4401,
  /** The account was deactivated by an admin. */
  accountDeactivated: 4403,
} as const;

const REASONS: Record<AccessRevoked['reason'] | 'unknown', { code: number; text: string }> = {
  signed_out: { code: SOCKET_CLOSE.signInAgain, text: 'Signed out: sign in again to continue.' },
  password_reset: { code: SOCKET_CLOSE.signInAgain, text: 'The password was changed: sign in again with the new one.' },
  expired: { code: SOCKET_CLOSE.signInAgain, text: 'The session expired: sign in again.' },
  unknown: { code: SOCKET_CLOSE.signInAgain, text: 'Sign in again: the token is missing, expired or revoked.' },
  deactivated: { code: SOCKET_CLOSE.accountDeactivated, text: 'This account was deactivated; ask an admin to reactivate it.' },
};

/** How often every open socket's token is checked again (catches expiry without an event). */
const SWEEP_MS = 60_000;

interface OpenSocket {
  userId: string;
  tokenHash: string;
  token: string;
  socket: WebSocket;
}

export class SocketAccess {
  readonly #users: UserDirectory;
  readonly #open = new Set<OpenSocket>();
  readonly #unsubscribe: () => void;
  readonly #sweep: NodeJS.Timeout;

  constructor(users: UserDirectory, sweepMs = SWEEP_MS) {
    this.#users = users;
    this.#unsubscribe = users.onRevoked((revoked) => this.#revoke(revoked));
    this.#sweep = setInterval(() => void this.#sweepAll(), sweepMs);
    this.#sweep.unref();
  }

  /** Follows a socket opened with this token until it closes. */
  track(socket: WebSocket, user: User, token: string): void {
    const entry: OpenSocket = { userId: user.id, tokenHash: hashToken(token), token, socket };
    this.#open.add(entry);
    socket.once('close', () => this.#open.delete(entry));
  }

  /**
   * The user behind this socket right now, or undefined after closing it because the token
   * or the account no longer works. Call before acting on anything the socket asks.
   */
  async recheck(socket: WebSocket, token: string): Promise<User | undefined> {
    const checked = await this.#users.checkToken(token);
    if (checked.ok) return checked.user;
    const why = REASONS[checked.reason];
    closeSocket(socket, why.code, why.text);
    return undefined;
  }

  /** Open sockets of a user (tests and diagnostics). */
  openFor(userId: string): number {
    let n = 0;
    for (const entry of this.#open) if (entry.userId === userId) n += 1;
    return n;
  }

  dispose(): void {
    this.#unsubscribe();
    clearInterval(this.#sweep);
  }

  #revoke(revoked: AccessRevoked): void {
    const why = REASONS[revoked.reason];
    for (const entry of [...this.#open]) {
      if (entry.userId !== revoked.userId) continue;
      if (revoked.tokenHash !== undefined && entry.tokenHash !== revoked.tokenHash) continue;
      this.#open.delete(entry);
      closeSocket(entry.socket, why.code, why.text);
    }
  }

  async #sweepAll(): Promise<void> {
    for (const entry of [...this.#open]) {
      if (!(await this.recheck(entry.socket, entry.token))) this.#open.delete(entry);
    }
  }
}

function closeSocket(socket: WebSocket, code: number, reason: string): void {
  if (socket.readyState === socket.CLOSED || socket.readyState === socket.CLOSING) return;
  socket.close(code, reason);
}
