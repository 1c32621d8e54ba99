// A caller waiting for a person hears their place in line, and after a while is offered a
// callback; pressing 1 schedules it to the number they called from and ends the call politely.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScriptedCaller } from '../../src/telephony/local/scripted-caller';
import { startBackend, waitUntil, type Backend } from '../telephony/harness';

let backend: Backend;
beforeAll(async () => {
  // The shortest intervals the configuration allows, so the test waits seconds, not minutes.
  backend = await startBackend({ HOLD_ANNOUNCE_MS: 5000, CALLBACK_OFFER_AFTER_MS: 5000 });
});
afterAll(async () => {
  await backend.close();
});

describe('hold line', () => {
  it('announces the position, offers a callback, and schedules it on 1', { timeout: 60_000 }, async () => {
    const caller = new ScriptedCaller({ baseUrl: backend.baseUrl, from: '+15550100004' });
    await caller.connect();
    await caller.waitForAiAudio(0, 20_000);
    await waitUntil(() => caller.sessionId !== undefined, 10_000, 'session id');
    const sessionId = caller.sessionId!;
    caller.dtmf('0'); // no agent is signed in: the caller waits in the queue
    const types = async () => (await backend.services.store.listEvents(sessionId)).map((e) => e.type);
    await waitUntil(async () => (await types()).includes('callback.offered'), 30_000, 'callback offer');
    await waitUntil(async () => (await types()).includes('hold.announced'), 30_000, 'position announcement');
    const announced = (await backend.services.store.listEvents(sessionId)).find((e) => e.type === 'hold.announced')!;
    expect(announced.data).toMatchObject({ position: 1 });
    // Hold audio plays, and only after the AI's "connecting you with a person" line.
    const marks = caller.received.flatMap((f) => (f.event === 'mark' ? [f.mark.name] : []));
    const firstHold = marks.findIndex((m) => m.includes(':hold:'));
    expect(firstHold).toBeGreaterThan(0);
    expect(marks.slice(0, firstHold).some((m) => m.split(':')[1] === '2')).toBe(true);

    caller.dtmf('1');
    await waitUntil(async () => (await types()).includes('callback.scheduled'), 15_000, 'callback scheduled');
    await caller.closed();
    expect(caller.closeCode).toBe(1000);
    const callbacks = await backend.services.crm.listCallbacks();
    expect(callbacks.find((c) => c.sessionId === sessionId)).toMatchObject({ phone: '+15550100004', status: 'scheduled' });
    const session = await backend.services.store.getSession(sessionId);
    expect(session?.state).toBe('ended');
    const ai = (await backend.services.store.listEvents(sessionId)).filter((e) => e.type === 'ai.said').map((e) => (e.data as { text: string }).text);
    expect(ai.join(' ')).not.toMatch(/call you back/); // hold-line lines are announcements, not AI turns
  });
});
