// A test agent app: signs in, speaks the agent channel, and keeps what it received.
import WebSocket from 'ws';
import type { AgentClientMessage, AgentServerMessage } from '../../../contracts/agent-channel';

export class TestAgent {
  readonly messages: AgentServerMessage[] = [];
  ws!: WebSocket;
  token = '';
  #seq = 0;
  readonly #waiters = new Set<() => void>();
  constructor(readonly baseUrl: string) {}

  static async signIn(baseUrl: string, email: string, password: string): Promise<TestAgent> {
    const agent = new TestAgent(baseUrl);
    const res = await fetch(`${baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
    if (!res.ok) throw new Error(`login failed: ${res.status}`);
    agent.token = ((await res.json()) as { token: string }).token;
    return agent;
  }

  async connect(resume: Array<{ sessionId: string; afterSeq: number }> = []): Promise<void> {
    this.ws = new WebSocket(`${this.baseUrl.replace('http', 'ws')}/agent/ws?token=${this.token}`);
    this.ws.on('message', (d) => {
      this.messages.push(JSON.parse(d.toString()) as AgentServerMessage);
      for (const check of [...this.#waiters]) check();
    });
    await new Promise<void>((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
    });
    await this.request({ type: 'hello', resume });
  }

  send(message: AgentClientMessage | Record<string, unknown>): void {
    this.ws.send(JSON.stringify(message));
  }

  /** Sends a message with a requestId and waits for its ack or error. */
  async request(message: AgentClientMessage): Promise<AgentServerMessage> {
    const requestId = `r${++this.#seq}`;
    this.send({ ...message, requestId } as AgentClientMessage);
    return this.waitFor((m) => (m.type === 'ack' || m.type === 'error') && m.requestId === requestId);
  }

  /** Resolves as the matching message arrives (no polling: benches time with it). */
  waitFor<T extends AgentServerMessage>(match: (m: AgentServerMessage) => boolean, timeoutMs = 20_000): Promise<T> {
    const found = this.messages.find(match);
    if (found) return Promise.resolve(found as T);
    return new Promise<T>((resolve, reject) => {
      const check = () => {
        const arrived = this.messages.find(match);
        if (!arrived) return;
        clearTimeout(timer);
        this.#waiters.delete(check);
        resolve(arrived as T);
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(new Error(`agent did not receive the expected message in ${timeoutMs} ms`));
      }, timeoutMs);
      this.#waiters.add(check);
    });
  }

  /** session.event seqs received for a session, in arrival order. */
  seqs(sessionId: string): number[] {
    return this.messages.flatMap((m) => (m.type === 'session.event' && m.sessionId === sessionId ? [m.seq] : []));
  }

  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    const closed = new Promise((r) => this.ws.once('close', r));
    this.ws.close();
    await closed;
  }
}
