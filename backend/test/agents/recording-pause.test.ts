// The agent pauses the call recording while a caller reads out payment details and resumes
// it after: both are session events carrying the position in the file, the agent's app is told,
// and the recording holds silence (on both channels) for exactly that stretch. Keys the agent
// presses are logged as one masked run, and their tones are not in the recording.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentServerMessage } from '../../../contracts/agent-channel';
import { holdsKeypadTone } from '../../src/media/recording-guard';
import { ScriptedCaller } from '../../src/telephony/local/scripted-caller';
import { startBackend, waitUntil, type Backend } from '../telephony/harness';
import { TestAgent } from './agent-client';

let backend: Backend;
const PASSWORD = 'agent-password-123';

beforeAll(async () => {
  backend = await startBackend({ OFFER_TIMEOUT_MS: 8000, HOLD_ANNOUNCE_MS: 60_000 });
  await backend.services.users.create({ email: 'pia@example.com', name: 'Pia Agent', role: 'agent', password: PASSWORD, skills: ['general', 'orders', 'billing'] });
  await backend.services.users.create({ email: 'quin@example.com', name: 'Quin Agent', role: 'agent', password: PASSWORD, skills: ['general'] });
  // The transfer test has its own agent, so it never waits on the first test's call.
  await backend.services.users.create({ email: 'rae@example.com', name: 'Rae Agent', role: 'agent', password: PASSWORD, skills: ['general'] });
});
afterAll(async () => {
  await backend.close();
});

function sine(frequency: number, ms: number): Int16Array {
  const out = new Int16Array(ms * 16);
  for (let i = 0; i < out.length; i++) out[i] = Math.round(6000 * Math.sin((2 * Math.PI * frequency * i) / 16000));
  return out;
}

const peak = (pcm: Int16Array) => pcm.reduce((m, s) => Math.max(m, Math.abs(s)), 0);

describe('pausing the recording', () => {
  it('records silence between recording.paused and recording.resumed', { timeout: 90_000 }, async () => {
    const pia = await TestAgent.signIn(backend.baseUrl, 'pia@example.com', PASSWORD);
    await pia.connect();
    expect(await pia.request({ type: 'presence.set', presence: 'available' })).toMatchObject({ type: 'ack' });

    const caller = new ScriptedCaller({ baseUrl: backend.baseUrl, from: '+15550100002', name: 'Sam Caller' });
    try {
      await caller.connect();
      await caller.waitForAiAudio(0, 20_000);
      await waitUntil(() => caller.sessionId !== undefined, 20_000, 'session id');
      const sessionId = caller.sessionId!;
      caller.dtmf('0');
      const offer = await pia.waitFor<Extract<AgentServerMessage, { type: 'offer' }>>((m) => m.type === 'offer');
      expect(await pia.request({ type: 'offer.accept', offerId: offer.offer.offerId })).toMatchObject({ type: 'ack' });
      await pia.waitFor((m) => m.type === 'call.assigned');

      // Only the agent on the call may pause it.
      const quin = await TestAgent.signIn(backend.baseUrl, 'quin@example.com', PASSWORD);
      await quin.connect();
      expect(await quin.request({ type: 'call.recording', sessionId, paused: true })).toMatchObject({ type: 'error', code: 'not_your_call' });
      await quin.close();

      await caller.say(sine(500, 400));
      expect(await pia.request({ type: 'call.recording', sessionId, paused: true })).toMatchObject({ type: 'ack' });
      await pia.waitFor((m) => m.type === 'call.state' && m.recordingPaused === true);
      await caller.say(sine(600, 1000)); // the caller reads their card: not recorded
      expect(await pia.request({ type: 'call.recording', sessionId, paused: false })).toMatchObject({ type: 'ack' });
      await pia.waitFor((m) => m.type === 'call.state' && m.recordingPaused === false);
      await caller.say(sine(700, 400));
      // Pausing twice is harmless: one event per change.
      expect(await pia.request({ type: 'call.recording', sessionId, paused: false })).toMatchObject({ type: 'ack' });

      // The agent keys a card for the caller, one key per message: logged as one masked run.
      // Sent without waiting for each ack, as fast typing does.
      const acks = await Promise.all([...'4111111111111111#'].map((key) => pia.request({ type: 'call.dtmf', sessionId, digits: key })));
      expect(acks.every((a) => a.type === 'ack')).toBe(true);
      await waitUntil(async () => (await backend.services.store.listEvents(sessionId)).some((e) => e.type === 'agent.dtmf'), 10_000, 'the keyed run');
      await caller.waitForAiIdle(500, 40_000);

      await caller.hangUp();
      const events = () => backend.services.store.listEvents(sessionId);
      await waitUntil(async () => (await events()).some((e) => e.type === 'recording.saved'), 20_000, 'the recording');
      const log = await events();
      const paused = log.filter((e) => e.type === 'recording.paused').map((e) => e.data as { agentId: string; atMs: number });
      const resumed = log.filter((e) => e.type === 'recording.resumed').map((e) => e.data as { agentId: string; atMs: number });
      expect(paused).toHaveLength(1);
      expect(resumed).toHaveLength(1);
      expect(resumed[0]!.atMs - paused[0]!.atMs).toBeGreaterThanOrEqual(900);
      expect(log.filter((e) => e.type === 'agent.dtmf').map((e) => e.data)).toEqual([expect.objectContaining({ digits: '************1111#' })]);

      const { path } = log.find((e) => e.type === 'recording.saved')!.data as { path: string };
      const wav = await readFile(path);
      const samples = new Int16Array(wav.buffer.slice(wav.byteOffset + 44, wav.byteOffset + wav.byteLength));
      const left = new Int16Array(samples.length / 2);
      const right = new Int16Array(samples.length / 2);
      for (let i = 0; i < left.length; i++) {
        left[i] = samples[2 * i] ?? 0;
        right[i] = samples[2 * i + 1] ?? 0;
      }
      const from = paused[0]!.atMs * 16;
      const to = resumed[0]!.atMs * 16;
      expect(peak(left.subarray(from, to))).toBe(0);
      expect(peak(right.subarray(from, to))).toBe(0);
      // The caller's voice before and after the pause is in the file.
      expect(peak(left.subarray(0, from))).toBeGreaterThan(5000);
      expect(peak(left.subarray(to))).toBeGreaterThan(5000);
      // The agent's tones reached the caller but not the recording.
      for (let at = 0; at + 320 <= right.length; at += 320) expect(holdsKeypadTone(right.subarray(at, at + 320)), `tone at ${at / 16} ms`).toBe(false);
    } finally {
      // A failure here must not leave the agent available (or the call up) for the next test.
      await caller.hangUp().catch(() => undefined);
      await pia.close();
    }
  });

  it('resumes the recording when the agent who paused it transfers the call', { timeout: 90_000 }, async () => {
    const pia = await TestAgent.signIn(backend.baseUrl, 'rae@example.com', PASSWORD);
    await pia.connect();
    expect(await pia.request({ type: 'presence.set', presence: 'available' })).toMatchObject({ type: 'ack' });
    const caller = new ScriptedCaller({ baseUrl: backend.baseUrl, from: '+15550100003', name: 'Ravi Caller' });
    await caller.connect();
    await caller.waitForAiAudio(0, 20_000);
    await waitUntil(() => caller.sessionId !== undefined, 20_000, 'session id');
    const sessionId = caller.sessionId!;
    caller.dtmf('0');
    const offer = await pia.waitFor<Extract<AgentServerMessage, { type: 'offer' }>>((m) => m.type === 'offer' && m.offer.sessionId === sessionId);
    expect(await pia.request({ type: 'offer.accept', offerId: offer.offer.offerId })).toMatchObject({ type: 'ack' });
    await pia.waitFor((m) => m.type === 'call.assigned' && m.sessionId === sessionId);
    expect(await pia.request({ type: 'call.recording', sessionId, paused: true })).toMatchObject({ type: 'ack' });
    expect(await pia.request({ type: 'call.transfer', sessionId, target: { queue: 'billing' }, note: '' })).toMatchObject({ type: 'ack' });
    const types = (await backend.services.store.listEvents(sessionId)).map((e) => e.type);
    expect(types.indexOf('recording.resumed')).toBeGreaterThan(types.indexOf('recording.paused'));
    await caller.hangUp();
    await pia.close();
  });
});
