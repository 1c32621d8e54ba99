// Adapter test of the desk's NATS peers on the real wire, with a stand-in leader (our own
// handler, not a desk): a routing command with no leader is refused after the wait with
// what to do; one the leader answers comes back, an error as an error; a step for a backend
// that is gone answers undefined, and that backend reads as not alive.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NoRoutingLeader } from '../../src/agents/agent-desk';
import { NatsDeskPeers } from '../../src/cluster/desk-peers';
import { NatsLink } from '../../src/cluster/nats-link';
import type { RoutingLease } from '../../src/cluster/routing-lease';
import { TEST_NATS_URL } from '../support/cluster';

const prefix = `test.peers.${randomBytes(4).toString('hex')}`;
let standby: NatsLink;
let leader: NatsLink;
const notLeading = { leader: false, onChange: () => () => undefined } as unknown as RoutingLease;

beforeAll(async () => {
  standby = await NatsLink.connect({ url: TEST_NATS_URL, instanceId: 'standby', prefix });
  leader = await NatsLink.connect({ url: TEST_NATS_URL, instanceId: 'leader', prefix });
});

afterAll(async () => {
  await standby?.close();
  await leader?.close();
});

describe('desk peers over NATS', () => {
  it('refuses a routing command when no backend leads, saying to try again; forwards it once one does', async () => {
    const peers = new NatsDeskPeers({ link: standby, lease: notLeading, db: undefined as never, users: undefined as never, leaderWaitMs: 600 });
    const refused = await peers.routing('setPresence', ['ann', 'available']).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(NoRoutingLeader);
    expect(String(refused)).toMatch(/setPresence.*Try again in a few seconds/);

    const heard: unknown[] = [];
    const stop = leader.serve('desk.routing', async (value) => {
      heard.push(value);
      const { op } = value as { op: string };
      if (op === 'enqueue') throw new Error('Session s1 is already in routing');
      return { value: { ok: true } };
    });
    try {
      await leader.flush();
      expect(await peers.routing('setPresence', ['ann', 'available'])).toEqual({ ok: true });
      expect(heard).toEqual([{ op: 'setPresence', args: ['ann', 'available'] }]);
      await expect(peers.routing('enqueue', [{ sessionId: 's1' }])).rejects.toThrow(/already in routing/);
    } finally {
      stop();
    }
  });

  it('answers undefined for a step on a backend that is gone, which reads as not alive', async () => {
    const peers = new NatsDeskPeers({ link: standby, lease: notLeading, db: undefined as never, users: undefined as never });
    expect(await peers.atHome('gone', { kind: 'move', sessionId: 's1', to: 'queued' })).toBeUndefined();
    expect(await peers.alive('gone')).toBe(false);
    expect(await peers.alive('standby')).toBe(true);
  });
});
