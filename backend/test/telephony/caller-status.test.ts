// The caller page follows the call: with the AI, queued (position, wait), connected to the
// agent by first name, ended; and the agent's words are captioned next to the AI's.
import Fastify from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type SwitchboardDb } from '../../src/store/database';
import { SqlSessionStore } from '../../src/store/session-store';
import { CaptionAccess, captionRoutes } from '../../src/telephony/local/captions';

let db: SwitchboardDb;
let store: SqlSessionStore;
beforeEach(async () => {
  db = await openDatabase({ filename: ':memory:' });
  store = new SqlSessionStore(db);
});
afterEach(async () => {
  await db.destroy();
});

describe('caller page status and captions', () => {
  it('moves from the AI to the queue to the agent to ended, with the agent captioned', async () => {
    const session = await store.createSession({ channel: 'voice', callerId: '+15550100001' });
    const access = new CaptionAccess();
    access.open(session.id);
    const app = Fastify();
    await app.register(captionRoutes(store, access));
    const poll = async (after = 0) => (await app.inject({ method: 'GET', url: `/local/calls/${session.id}/captions?after=${after}` })).json();

    await store.appendEvent(session.id, 'ai.said', { turn: 1, text: 'Hello, this is the automated assistant.', citations: [] });
    expect((await poll()).status).toEqual({ phase: 'ai' });

    await store.appendEvent(session.id, 'queue.entered', { queue: 'orders', position: 3, reason: 'caller_request' });
    expect((await poll()).status).toEqual({ phase: 'queued', position: 3, estimatedWaitMs: null });
    await store.appendEvent(session.id, 'hold.announced', { position: 2, estimatedWaitMs: 90_000 });
    expect((await poll()).status).toEqual({ phase: 'queued', position: 2, estimatedWaitMs: 90_000 });

    await store.appendEvent(session.id, 'agent.accepted', { offerId: 'o1', agentId: 'a1', agentName: 'Maya Lopez' });
    const said = await store.appendEvent(session.id, 'transcript.final', { speaker: 'agent', text: 'Hi, this is Maya, how can I help?', startMs: 0, endMs: 900 });
    const withAgent = await poll();
    expect(withAgent.status).toEqual({ phase: 'agent', agentFirstName: 'Maya' });
    expect(withAgent.lines).toContainEqual({ seq: said.seq, speaker: 'agent', text: 'Hi, this is Maya, how can I help?' });
    // Lines after a sequence number only, while the status still reflects the whole call.
    const later = await poll(said.seq);
    expect(later.lines).toEqual([]);
    expect(later.status.phase).toBe('agent');

    await store.appendEvent(session.id, 'session.ended', { by: 'caller', reason: 'hung up' });
    expect((await poll()).status).toEqual({ phase: 'ended' });
    await app.close();
  });
});

describe('caller pages', () => {
  it('keep the outbound "Wait for calls" demo off the caller page, on its own page', async () => {
    const { callerPageRoutes } = await import('../../src/telephony/local/caller-page');
    const app = Fastify();
    await app.register(callerPageRoutes);
    const call = await app.inject({ method: 'GET', url: '/call' });
    const wait = await app.inject({ method: 'GET', url: '/call/wait' });
    expect(call.statusCode).toBe(200);
    expect(call.body).not.toContain('id="wait"');
    expect(call.body).toContain('href="/call/wait"');
    expect(wait.statusCode).toBe(200);
    expect(wait.body).toContain('id="wait"');
    expect(wait.body).toContain('id="line-code"');
    expect(wait.body).not.toContain('id="call"');
    await app.close();
  });
});
