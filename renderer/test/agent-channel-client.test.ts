// The channel client: hello carries the resume list at every (re)connect, backoff grows and
// reports "unreachable", requests settle on ack/error, invalid messages never leave.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  AgentChannelClient,
  reconnectDelayMs,
  UNREACHABLE_AFTER,
  type ChannelStatus,
  type SocketLike,
} from '../src/api/agent-channel-client';

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: unknown[] = [];
  onopen: ((ev: Event) => void) | null = null;
  onmessage: ((ev: MessageEvent) => void) | null = null;
  onclose: ((ev: CloseEvent) => void) | null = null;
  onerror: ((ev: Event) => void) | null = null;
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close(code = 1000) {
    this.readyState = 3;
    this.onclose?.({ code } as CloseEvent);
  }
  open() {
    this.readyState = 1;
    this.onopen?.({} as Event);
  }
  receive(message: unknown) {
    this.onmessage?.({ data: JSON.stringify(message) } as MessageEvent);
  }
  drop(code = 1006) {
    this.readyState = 3;
    this.onclose?.({ code } as CloseEvent);
  }
}

describe('AgentChannelClient', () => {
  let sockets: FakeSocket[];
  let statuses: ChannelStatus[];
  let resume: Array<{ sessionId: string; afterSeq: number }>;
  let client: AgentChannelClient;

  beforeEach(() => {
    vi.useFakeTimers();
    sockets = [];
    statuses = [];
    resume = [];
    client = new AgentChannelClient({
      url: 'ws://x/agent/ws?token=t',
      resume: () => resume,
      onMessage: () => undefined,
      onStatus: (s) => statuses.push(s),
      createSocket: () => {
        const s = new FakeSocket();
        sockets.push(s);
        return s;
      },
      random: () => 1,
    });
  });

  afterEach(() => {
    client.stop();
    vi.useRealTimers();
  });

  it('sends hello with the current resume list on every open', () => {
    client.start();
    sockets[0]!.open();
    expect(sockets[0]!.sent[0]).toEqual({ type: 'hello', resume: [] });
    resume = [{ sessionId: 's1', afterSeq: 42 }];
    sockets[0]!.drop();
    vi.advanceTimersByTime(reconnectDelayMs(1, () => 1));
    sockets[1]!.open();
    expect(sockets[1]!.sent[0]).toEqual({ type: 'hello', resume: [{ sessionId: 's1', afterSeq: 42 }] });
  });

  it('backs off exponentially and reports unreachable after repeated failures', () => {
    client.start();
    sockets[0]!.drop();
    expect(statuses.at(-1)!.state).toBe('reconnecting');
    vi.advanceTimersByTime(500);
    sockets[1]!.drop();
    expect(statuses.at(-1)!.state).toBe('unreachable');
    expect(statuses.at(-1)!.failures).toBe(UNREACHABLE_AFTER);
    expect(reconnectDelayMs(2, () => 1)).toBe(1000);
    expect(reconnectDelayMs(20, () => 1)).toBe(30_000);
    expect(reconnectDelayMs(3, () => 0)).toBe(1000);
    // Retry now skips the wait.
    client.retryNow();
    expect(sockets).toHaveLength(3);
    sockets[2]!.open();
    expect(statuses.at(-1)).toEqual({ state: 'open', failures: 0, nextRetryAt: null });
  });

  it('stops retrying when the server rejects the token', () => {
    client.start();
    sockets[0]!.drop(4401);
    expect(statuses.at(-1)!.state).toBe('unauthorized');
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(1);
  });

  it('settles requests on ack and error, and rejects when offline', async () => {
    await expect(client.request({ type: 'presence.set', presence: 'available' })).rejects.toThrow(
      /Not connected/,
    );
    client.start();
    sockets[0]!.open();
    const ok = client.request({ type: 'presence.set', presence: 'available' });
    const sent = sockets[0]!.sent.at(-1) as { requestId: string };
    sockets[0]!.receive({ type: 'ack', requestId: sent.requestId });
    await expect(ok).resolves.toBeUndefined();
    const bad = client.request({ type: 'offer.accept', offerId: 'o1' });
    const sent2 = sockets[0]!.sent.at(-1) as { requestId: string };
    sockets[0]!.receive({
      type: 'error',
      requestId: sent2.requestId,
      code: 'taken',
      message: 'Another agent took this call.',
    });
    await expect(bad).rejects.toThrow('Another agent took this call.');
  });

  it('refuses to send a message that fails the contract', () => {
    client.start();
    sockets[0]!.open();
    expect(() => client.send({ type: 'call.dial', phone: '555-1234' })).toThrow(/invalid call.dial/);
    expect(sockets[0]!.sent).toHaveLength(1);
  });

  it('forces a reconnect when the link goes silent', () => {
    client.start();
    sockets[0]!.open();
    vi.advanceTimersByTime(60_000);
    expect(statuses.some((s) => s.state === 'reconnecting')).toBe(true);
  });
});
