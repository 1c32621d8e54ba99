import { describe, expect, it } from 'vitest';
import { MAX_MEDIA_PAYLOAD_BYTES, parseCallerFrame } from '../../../contracts/media-stream';

const start = (mediaFormat: unknown = { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 }) => ({
  event: 'start',
  sequenceNumber: '1',
  streamSid: 'MZ123',
  start: {
    streamSid: 'MZ123',
    accountSid: 'AC1',
    callSid: 'CA1',
    tracks: ['inbound'],
    customParameters: { from: '+15551234567', name: 'Ada', campaign: 'spring' },
    mediaFormat,
  },
});

const media = (payload: string) => ({
  event: 'media',
  sequenceNumber: '3',
  streamSid: 'MZ123',
  media: { track: 'inbound', chunk: '2', timestamp: '20', payload },
});

const reason = (raw: unknown) => {
  const r = parseCallerFrame(typeof raw === 'string' ? raw : JSON.stringify(raw));
  if (r.ok) throw new Error('expected a rejection');
  return r.reason;
};

describe('parseCallerFrame', () => {
  it('accepts every Twilio frame, normalising counters to numbers', () => {
    const frames = [
      { event: 'connected', protocol: 'Call', version: '1.0.0' },
      start(),
      start({ encoding: 'audio/x-l16', sampleRate: 16000, channels: 1 }),
      media(Buffer.alloc(160, 0xff).toString('base64')),
      { event: 'dtmf', streamSid: 'MZ123', sequenceNumber: '5', dtmf: { track: 'inbound_track', digit: '0' } },
      { event: 'mark', sequenceNumber: '4', streamSid: 'MZ123', mark: { name: 'reply-1' } },
      { event: 'stop', sequenceNumber: '6', streamSid: 'MZ123', stop: { accountSid: 'AC1', callSid: 'CA1' } },
    ];
    for (const f of frames) {
      const r = parseCallerFrame(Buffer.from(JSON.stringify(f)));
      expect(r.ok, JSON.stringify(r)).toBe(true);
    }
    const m = parseCallerFrame(JSON.stringify(media('AAAA')));
    expect(m.ok && m.frame.event === 'media' && m.frame.media.timestamp).toBe(20);
    const s = parseCallerFrame(JSON.stringify(start()));
    expect(s.ok && s.frame.event === 'start' && s.frame.start.customParameters).toEqual({
      from: '+15551234567',
      name: 'Ada',
      campaign: 'spring',
    });
  });

  it('tolerates optional fields Twilio omits', () => {
    const f = start();
    const { accountSid: _a, tracks: _t, ...rest } = f.start;
    const r = parseCallerFrame(JSON.stringify({ ...f, start: rest, extra: true }));
    expect(r.ok && r.frame.event === 'start' && r.frame.start.tracks).toEqual(['inbound']);
    expect(parseCallerFrame(JSON.stringify({ event: 'stop', sequenceNumber: 2, streamSid: 'MZ', stop: { callSid: 'CA' } })).ok).toBe(true);
  });

  it('rejects non-JSON', () => {
    expect(reason('{not json')).toMatch(/not valid JSON/);
    expect(reason('[1,2]')).toMatch(/not a JSON object/);
  });

  it('names an unknown event', () => {
    expect(reason({ event: 'hangup' })).toMatch(/unknown event "hangup".*connected, start, media, dtmf, mark, stop/);
    expect(reason({ noEvent: 1 })).toMatch(/event/);
  });

  it('names the mismatching field', () => {
    const noFrom = start();
    (noFrom.start.customParameters as Record<string, unknown>).from = undefined;
    expect(reason(noFrom)).toMatch(/schema mismatch at start\.customParameters\.from/);
    expect(reason({ ...media('AAAA'), media: { chunk: '1', timestamp: '1' } })).toMatch(/media\.payload/);
    expect(reason({ event: 'dtmf', streamSid: 'MZ', sequenceNumber: '1', dtmf: { digit: '12' } })).toMatch(/dtmf\.digit/);
    expect(reason({ ...media('AAAA'), sequenceNumber: 'x' })).toMatch(/sequenceNumber/);
  });

  it('rejects a payload that is not base64', () => {
    expect(reason(media('abc'))).toMatch(/not valid base64/);
    expect(reason(media('ab$d'))).toMatch(/not valid base64/);
  });

  it('rejects a payload over 64 KiB decoded', () => {
    expect(parseCallerFrame(JSON.stringify(media(Buffer.alloc(MAX_MEDIA_PAYLOAD_BYTES).toString('base64')))).ok).toBe(true);
    expect(reason(media(Buffer.alloc(MAX_MEDIA_PAYLOAD_BYTES + 3).toString('base64')))).toMatch(/65539 bytes; the limit is 65536/);
    expect(reason(media(Buffer.alloc(200_000).toString('base64')))).toMatch(/too large/);
  });

  it('keeps every reason within a WebSocket close frame', () => {
    const long = reason({ event: `x${'é'.repeat(300)}` });
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(123);
    const nested = start();
    (nested.start.customParameters as Record<string, unknown>)['k'.repeat(200)] = 5;
    expect(Buffer.byteLength(reason(nested))).toBeLessThanOrEqual(123);
  });

  it('rejects an unsupported mediaFormat and says what is supported', () => {
    const r = reason(start({ encoding: 'audio/x-l16', sampleRate: 8000, channels: 1 }));
    expect(r).toMatch(/unsupported mediaFormat audio\/x-l16 8000 Hz 1 ch/);
    expect(r).toMatch(/audio\/x-l16 16000 Hz 1 ch or audio\/x-mulaw 8000 Hz 1 ch/);
    expect(reason(start({ encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 2 }))).toMatch(/unsupported mediaFormat/);
  });
});
