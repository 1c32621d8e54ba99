// The two-frame zombie: a `start` followed at once by a malformed frame closed the socket while
// the session was still being opened; the session then stayed in `ai` for ever with its
// recognizer process and temp folder. Now the ending waits for the set-up step in flight and
// closes what it made. Real engines (pocketsphinx, flite): the recognizer must be gone too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { processHoldings } from '../support/faulty-speech';
import { startBackend, waitUntil, type Backend } from './harness';

let backend: Backend;
beforeAll(async () => {
  backend = await startBackend();
});
afterAll(async () => {
  await backend.close();
});

const start = (n: number) =>
  JSON.stringify({
    event: 'start',
    sequenceNumber: '1',
    streamSid: `MZz${n}`,
    start: {
      streamSid: `MZz${n}`,
      callSid: `CAz${n}`,
      customParameters: { from: `+1555010990${n}` },
      mediaFormat: { encoding: 'audio/x-l16', sampleRate: 16000, channels: 1 },
    },
  });

async function twoFrames(n: number, second: string): Promise<{ code: number }> {
  const ws = new WebSocket(backend.baseUrl.replace('http', 'ws') + '/local/media');
  await new Promise((r) => ws.once('open', r));
  const closed = new Promise<{ code: number }>((r) => ws.once('close', (code) => r({ code })));
  ws.send(start(n));
  ws.send(second);
  return closed;
}

describe('a start frame followed at once by a bad frame', () => {
  it('ends the session, frees the slot and leaves no recognizer process', async () => {
    const before = processHoldings();
    const results = await Promise.all([twoFrames(1, 'not json'), twoFrames(2, '{"event":"dance"}'), twoFrames(3, '{"event":"media"}')]);
    expect(results.map((r) => r.code)).toEqual([1007, 1008, 1008]);
    await waitUntil(() => backend.app.calls.size === 0, 15_000, 'the calls to be released');
    const sessions = await backend.services.db.selectFrom('sessions').select(['id', 'state']).execute();
    for (const s of sessions) {
      expect(s.state).toBe('ended');
      const ended = (await backend.services.store.listEvents(s.id)).find((e) => e.type === 'session.ended');
      expect(ended?.data).toMatchObject({ reason: expect.stringMatching(/^stream closed: /) });
    }
    await waitUntil(() => processHoldings().children.length <= before.children.length, 10_000, 'recognizer processes to exit');
  });
});
