// A monitor whose audio leg never connects (the lead's app closed or lost its network right
// after Listen) ends by itself instead of holding the call's mixer until the call ends; a
// monitor whose leg connects in time stays. Supervision over a real store and directory,
// with a desk that holds one agent call.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AgentServerMessage } from '../../../contracts/agent-channel';
import type { LiveDeskCall } from '../../src/agents/agent-desk';
import { UserDirectory, type User } from '../../src/auth/users';
import { openDatabase, type SwitchboardDb } from '../../src/store/database';
import { SqlSessionStore } from '../../src/store/session-store';
import { Supervision } from '../../src/supervision/supervision';

let db: SwitchboardDb;
let store: SqlSessionStore;
let lead: User;
let sessionId: string;
let mixing: boolean;
const told: AgentServerMessage[] = [];

function supervision(legWaitMs: number): Supervision {
  const call = (): LiveDeskCall => ({ sessionId, stage: 'agent', agentId: 'agent-1', held: false, callerName: null, callerId: '+15550100001', acceptedAt: Date.now() });
  return new Supervision({
    desk: {
      liveCall: (id) => (id === sessionId ? call() : undefined),
      liveAgentCalls: () => [call()],
      superviseAudio: (_id, mix) => ((mixing = mix !== undefined), true),
      sendToCaller: () => undefined,
      sendToAgent: () => undefined,
    },
    users: { get: async (id: string) => (id === 'agent-1' ? ({ id, team: 'north' } as User) : id === lead.id ? lead : undefined) } as unknown as UserDirectory,
    store,
    send: (_userId, message) => told.push(message),
    connected: () => [],
    legWaitMs,
  });
}

beforeEach(async () => {
  db = await openDatabase({ filename: ':memory:' });
  store = new SqlSessionStore(db);
  lead = await new UserDirectory(db, 12).create({ email: 'lea@t.test', name: 'Lea Lead', role: 'lead', team: 'north', password: 'password-123' });
  sessionId = (await store.createSession({ channel: 'voice', callerId: '+15550100001' })).id;
  mixing = false;
  told.length = 0;
});
afterEach(async () => {
  await db.destroy();
});

const until = async (check: () => boolean | Promise<boolean>, what: string) => {
  for (const deadline = Date.now() + 5000; !(await check()); await new Promise((r) => setTimeout(r, 10))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
  }
};

describe('a monitor waiting for the lead\'s audio leg', () => {
  it('ends when the leg never connects, frees the mixer and tells the lead why', async () => {
    const sup = supervision(50);
    expect(await sup.start(lead, sessionId, 'listen')).toEqual({ ok: true });
    expect(mixing).toBe(true);
    await until(() => !sup.isMonitoring(lead.id, sessionId), 'the monitor to end');
    expect(mixing).toBe(false);
    expect(sup.monitoredCalls).toBe(0);
    const events = await store.listEvents(sessionId);
    expect(events.map((e) => e.type)).toEqual(['monitor.started', 'monitor.stopped']);
    expect(events[1]!.data).toMatchObject({ supervisorId: lead.id, reason: 'no_audio' });
    expect(told.at(-1)).toMatchObject({ type: 'monitor.state', sessionId, mode: null, reason: expect.stringMatching(/never connected.*Listen again/) });
    await sup.close();
  });

  it('stays while the leg that connected in time is open', async () => {
    const sup = supervision(50);
    expect(await sup.start(lead, sessionId, 'listen')).toEqual({ ok: true });
    expect(sup.attachLeg(lead.id, sessionId, () => undefined, () => undefined)).toBe(true);
    await new Promise((r) => setTimeout(r, 150));
    expect(sup.isMonitoring(lead.id, sessionId)).toBe(true);
    expect((await store.listEvents(sessionId)).map((e) => e.type)).toEqual(['monitor.started']);
    await sup.close();
  });
});
