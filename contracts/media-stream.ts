// The media-stream wire contract: the JSON text frames of the Twilio Media Streams protocol,
// spoken by both carriers (Twilio and the local `/local/media` WebSocket). Schemas are tolerant of
// fields Twilio sometimes omits and strict on the ones the media pipeline relies on. See
// docs/protocols.md for the prose version with examples.
import { z } from 'zod';

/** Largest decoded media payload we accept in one frame. Real frames are 160–640 bytes. */
export const MAX_MEDIA_PAYLOAD_BYTES = 65_536;

/**
 * Upper bound on a whole raw frame, checked before JSON.parse so a hostile peer cannot make us
 * parse megabytes: the base64 of a maximal payload plus generous room for the envelope.
 */
export const MAX_FRAME_CHARS = Math.ceil(MAX_MEDIA_PAYLOAD_BYTES / 3) * 4 + 4_096;

export const L16_16K = { encoding: 'audio/x-l16', sampleRate: 16_000, channels: 1 } as const;
export const MULAW_8K = { encoding: 'audio/x-mulaw', sampleRate: 8_000, channels: 1 } as const;

/** The only two wire formats. L16 samples are signed 16-bit little-endian (unlike RFC 3551's network order). */
export const SUPPORTED_MEDIA_FORMATS = [L16_16K, MULAW_8K] as const;
export type MediaFormat = (typeof SUPPORTED_MEDIA_FORMATS)[number];
export type MediaEncoding = MediaFormat['encoding'];

// Twilio sends counters as decimal strings ("sequenceNumber": "2"); we also accept numbers and
// normalise both to number, so downstream code does arithmetic without re-parsing.
const counter = z
  .union([z.string().regex(/^\d{1,15}$/, 'expected a decimal counter'), z.number().int().nonnegative()])
  .transform((v) => Number(v));

const sid = z.string().min(1).max(128);

const mediaFormatShape = z.object({
  encoding: z.string(),
  sampleRate: z.number(),
  channels: z.number(),
});

export const connectedFrameSchema = z.object({
  event: z.literal('connected'),
  protocol: z.string(),
  version: z.string(),
});

export const startFrameSchema = z.object({
  event: z.literal('start'),
  sequenceNumber: counter,
  streamSid: sid,
  start: z.object({
    streamSid: sid,
    accountSid: z.string().optional(),
    callSid: sid,
    // Twilio omits `tracks` on some bidirectional streams; inbound is what it then means.
    tracks: z.array(z.string()).default(['inbound']),
    customParameters: z
      .object({
        /** Caller ID, E.164 when known (`+15551234567`); carriers may pass `anonymous`. */
        from: z.string().min(1).max(64),
        name: z.string().max(200).optional(),
      })
      .catchall(z.string()),
    mediaFormat: mediaFormatShape,
  }),
});

export const mediaFrameSchema = z.object({
  event: z.literal('media'),
  sequenceNumber: counter,
  streamSid: sid,
  media: z.object({
    track: z.string().default('inbound'),
    chunk: counter,
    /** Milliseconds since the stream started, per the sender's clock. */
    timestamp: counter,
    /** Base64 audio in the stream's mediaFormat. */
    payload: z.string(),
  }),
});

export const dtmfFrameSchema = z.object({
  event: z.literal('dtmf'),
  streamSid: sid,
  sequenceNumber: counter,
  dtmf: z.object({
    track: z.string().default('inbound_track'),
    digit: z.string().regex(/^[0-9*#A-D]$/, 'expected one DTMF digit 0-9, *, #, A-D'),
  }),
});

export const markFrameSchema = z.object({
  event: z.literal('mark'),
  sequenceNumber: counter,
  streamSid: sid,
  mark: z.object({ name: z.string().min(1).max(256) }),
});

export const stopFrameSchema = z.object({
  event: z.literal('stop'),
  sequenceNumber: counter,
  streamSid: sid,
  stop: z.object({ accountSid: z.string().optional(), callSid: sid }),
});

const callerFrameSchemas = {
  connected: connectedFrameSchema,
  start: startFrameSchema,
  media: mediaFrameSchema,
  dtmf: dtmfFrameSchema,
  mark: markFrameSchema,
  stop: stopFrameSchema,
} as const;

export type CallerEvent = keyof typeof callerFrameSchemas;
export const CALLER_EVENTS = Object.keys(callerFrameSchemas) as CallerEvent[];

export type ConnectedFrame = z.output<typeof connectedFrameSchema>;
export type StartFrame = z.output<typeof startFrameSchema>;
export type MediaFrame = z.output<typeof mediaFrameSchema>;
export type DtmfFrame = z.output<typeof dtmfFrameSchema>;
export type MarkFrame = z.output<typeof markFrameSchema>;
export type StopFrame = z.output<typeof stopFrameSchema>;
/** A caller frame after parsing (counters are numbers, defaults applied). */
export type CallerFrame = ConnectedFrame | StartFrame | MediaFrame | DtmfFrame | MarkFrame | StopFrame;
/** A caller frame as written on the wire (what a test client or the caller page sends). */
export type CallerFrameInput =
  | z.input<typeof connectedFrameSchema>
  | z.input<typeof startFrameSchema>
  | z.input<typeof mediaFrameSchema>
  | z.input<typeof dtmfFrameSchema>
  | z.input<typeof markFrameSchema>
  | z.input<typeof stopFrameSchema>;

// ---- backend → caller -------------------------------------------------------------------

export const outboundMediaFrameSchema = z.object({
  event: z.literal('media'),
  streamSid: sid,
  media: z.object({ payload: z.string() }),
});
export const outboundMarkFrameSchema = z.object({
  event: z.literal('mark'),
  streamSid: sid,
  mark: z.object({ name: z.string().min(1) }),
});
export const outboundClearFrameSchema = z.object({
  event: z.literal('clear'),
  streamSid: sid,
});
export const outboundFrameSchema = z.discriminatedUnion('event', [
  outboundMediaFrameSchema,
  outboundMarkFrameSchema,
  outboundClearFrameSchema,
]);
export type OutboundMediaFrame = z.infer<typeof outboundMediaFrameSchema>;
export type OutboundMarkFrame = z.infer<typeof outboundMarkFrameSchema>;
export type OutboundClearFrame = z.infer<typeof outboundClearFrameSchema>;
export type OutboundFrame = OutboundMediaFrame | OutboundMarkFrame | OutboundClearFrame;

// ---- parsing ----------------------------------------------------------------------------

/** A WebSocket close reason may carry at most 123 bytes of UTF-8. */
export const MAX_CLOSE_REASON_BYTES = 123;

function fitCloseReason(reason: string): string {
  if (utf8Bytes(reason) <= MAX_CLOSE_REASON_BYTES) return reason;
  let cut = reason.slice(0, MAX_CLOSE_REASON_BYTES - 1);
  while (utf8Bytes(cut) > MAX_CLOSE_REASON_BYTES - 3) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/** WebSocket close codes (RFC 6455): 1007 the data itself is malformed, 1008 it breaks the protocol. */
export const CLOSE_BAD_DATA = 1007;
export const CLOSE_PROTOCOL = 1008;

export type ParseCallerFrameResult =
  | { ok: true; frame: CallerFrame }
  | { ok: false; reason: string; closeCode: typeof CLOSE_BAD_DATA | typeof CLOSE_PROTOCOL };

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Decoded size of a canonical base64 string, without decoding it. */
function base64DecodedBytes(s: string): number {
  const padding = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  return (s.length / 4) * 3 - padding;
}

export function findSupportedMediaFormat(format: {
  encoding: string;
  sampleRate: number;
  channels: number;
}): MediaFormat | undefined {
  return SUPPORTED_MEDIA_FORMATS.find(
    (f) =>
      f.encoding === format.encoding && f.sampleRate === format.sampleRate && f.channels === format.channels,
  );
}

function describeFormat(f: { encoding: string; sampleRate: number; channels: number }): string {
  return `${f.encoding} ${f.sampleRate} Hz ${f.channels} ch`;
}

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'schema mismatch';
  const path = issue.path.length > 0 ? issue.path.map(String).join('.') : '(frame)';
  return `schema mismatch at ${path}: ${issue.message}`;
}

/**
 * Parse and validate one text frame from a caller. Never throws: a rejection carries a reason
 * fit for a WebSocket close frame. Ordering (media before start, one start per stream) is the
 * carrier's job, since it needs per-stream state.
 */
// Contracts also compile for the browser: TextEncoder/TextDecoder instead of Node's Buffer.
const encoder = new TextEncoder();
const decoder = new TextDecoder();
function utf8Bytes(text: string): number {
  return encoder.encode(text).length;
}

export function parseCallerFrame(raw: string | Uint8Array): ParseCallerFrameResult {
  const result = parseUnchecked(raw);
  return result.ok ? result : { ...result, reason: fitCloseReason(result.reason) };
}

function parseUnchecked(raw: string | Uint8Array): ParseCallerFrameResult {
  if (raw.length > MAX_FRAME_CHARS) {
    return {
      ok: false,
      closeCode: CLOSE_PROTOCOL,
      reason: `frame of ${raw.length} bytes is too large; media payloads are limited to ${MAX_MEDIA_PAYLOAD_BYTES} bytes decoded`,
    };
  }
  let json: unknown;
  try {
    json = JSON.parse(typeof raw === 'string' ? raw : decoder.decode(raw));
  } catch {
    return {
      ok: false,
      closeCode: CLOSE_BAD_DATA,
      reason: 'frame is not valid JSON; send one JSON object per text frame',
    };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return { ok: false, closeCode: CLOSE_BAD_DATA, reason: 'frame is not a JSON object' };
  }
  const event = (json as { event?: unknown }).event;
  if (typeof event !== 'string') {
    return {
      ok: false,
      closeCode: CLOSE_PROTOCOL,
      reason: 'schema mismatch at event: expected a string event name',
    };
  }
  if (!Object.hasOwn(callerFrameSchemas, event)) {
    return {
      ok: false,
      closeCode: CLOSE_PROTOCOL,
      reason: `unknown event "${event.slice(0, 40)}"; expected one of ${CALLER_EVENTS.join(', ')}`,
    };
  }
  const parsed = callerFrameSchemas[event as CallerEvent].safeParse(json);
  if (!parsed.success) return { ok: false, closeCode: CLOSE_PROTOCOL, reason: describeIssue(parsed.error) };
  const frame = parsed.data as CallerFrame;

  if (frame.event === 'media') {
    const payload = frame.media.payload;
    if (payload.length % 4 !== 0 || !BASE64.test(payload)) {
      return {
        ok: false,
        closeCode: CLOSE_BAD_DATA,
        reason: 'media.payload is not valid base64 (standard alphabet, padded)',
      };
    }
    const bytes = base64DecodedBytes(payload);
    if (bytes > MAX_MEDIA_PAYLOAD_BYTES) {
      return {
        ok: false,
        closeCode: CLOSE_PROTOCOL,
        reason: `media.payload decodes to ${bytes} bytes; the limit is ${MAX_MEDIA_PAYLOAD_BYTES} bytes, send smaller chunks`,
      };
    }
  } else if (frame.event === 'start') {
    const format = frame.start.mediaFormat;
    if (!findSupportedMediaFormat(format)) {
      return {
        ok: false,
        closeCode: CLOSE_PROTOCOL,
        reason: `unsupported mediaFormat ${describeFormat(format)}; supported: ${SUPPORTED_MEDIA_FORMATS.map(describeFormat).join(' or ')}`,
      };
    }
  }
  return { ok: true, frame };
}
