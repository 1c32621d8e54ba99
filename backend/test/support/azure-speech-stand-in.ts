// A local stand-in for the Azure Speech service, speaking the WebSocket protocol the official
// SDK (microsoft-cognitiveservices-speech-sdk) speaks, so the real SDK runs end to end in tests
// through `SpeechConfig.fromHost(new URL('ws://127.0.0.1:PORT'), key)`.
//
// Wire facts it reproduces (measured with SDK 1.52): text frames are `Header: value\r\n` lines,
// a blank line, then the body; binary frames are a 2-byte big-endian header length, the header
// lines, then audio. Every message we send carries `Path` and the turn's `X-RequestId` (without
// them the SDK silently stops reading). Offsets are 100-ns ticks from the turn's first audio
// byte; the first audio message of a turn is a 44-byte RIFF header; an empty audio body ends
// the stream. Recognition is real: audio goes through the project's in-process pocketsphinx,
// with a simple energy endpointer standing in for the service's; synthesis is real flite audio.

import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { decodeMulaw, encodeMulaw } from '../../src/media/mulaw';
import { createFliteTextToSpeech } from '../../src/speech/flite-tts';
import { createSphinxSpeechToText, type SphinxSpeechToText } from '../../src/speech/sphinx/sphinx-stt';
import type { SttStream } from '../../src/speech/types';
import { synthesizeWhole } from '../../src/speech/whole-utterance';

/**
 * How the stand-in "hears" a language: pocketsphinx behind it recognizes English only, so a
 * test says which language a phrase is identified as, and the words the service would have
 * transcribed in it (the caller's audio says the English words; the phrase carries these).
 */
export type LanguageOfSpeech = (heard: string) => { language: string; text?: string };

/** Called as each message goes out (benchmarks stamp the moment a phrase or audio chunk is sent). */
export type SentListener = (path: string) => void;
let sentListener: SentListener | undefined;

export interface AzureSpeechStandIn {
  /** ws://127.0.0.1:PORT, for AZURE_SPEECH_HOST / SpeechConfig.fromHost. */
  url: string;
  key: string;
  /** Changes the key the stand-in accepts (a key revoked or rotated while the server runs). */
  setKey(key: string): void;
  /** What clients sent, for assertions: paths of text messages, and phrase lists seen. */
  received: {
    paths: string[];
    phrases: string[];
    ssml: string[];
    outputFormats: string[];
    audioFormats: string[];
    /** The `languageId` section of each speech.context that had one (candidate locales and mode). */
    languageId: Array<{ languages: string[]; mode: string }>;
  };
  /** From now on, phrases are identified (and transcribed) as this says; undefined: the first candidate language. */
  speakAs(language: LanguageOfSpeech | undefined): void;
  onSent(listener: SentListener | undefined): void;
  /** Connections currently open. */
  openConnections(): number;
  close(): Promise<void>;
}

interface Message {
  headers: Record<string, string>;
  body: Buffer;
}

function parseHeaders(text: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of text.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return headers;
}

function parseMessage(data: Buffer, isBinary: boolean): Message {
  if (isBinary) {
    const headerLength = data.readUInt16BE(0);
    return { headers: parseHeaders(data.subarray(2, 2 + headerLength).toString('utf8')), body: data.subarray(2 + headerLength) };
  }
  const text = data.toString('utf8');
  const split = text.indexOf('\r\n\r\n');
  return split < 0
    ? { headers: parseHeaders(text), body: Buffer.alloc(0) }
    : { headers: parseHeaders(text.slice(0, split)), body: Buffer.from(text.slice(split + 4), 'utf8') };
}

function headerLines(path: string, requestId: string, extra: Record<string, string> = {}): string {
  const lines = [`X-RequestId: ${requestId}`, `Path: ${path}`, `X-Timestamp: ${new Date().toISOString()}`];
  for (const [k, v] of Object.entries(extra)) lines.push(`${k}: ${v}`);
  return lines.join('\r\n');
}

function sendText(ws: WebSocket, path: string, requestId: string, body: unknown): void {
  const head = headerLines(path, requestId, { 'Content-Type': 'application/json; charset=utf-8' });
  ws.send(`${head}\r\n\r\n${JSON.stringify(body)}`);
  sentListener?.(path);
}

function sendBinary(ws: WebSocket, path: string, requestId: string, extra: Record<string, string>, audio: Buffer): void {
  const head = Buffer.from(headerLines(path, requestId, extra), 'utf8');
  const prefix = Buffer.alloc(2);
  prefix.writeUInt16BE(head.length, 0);
  ws.send(Buffer.concat([prefix, head, audio]));
  sentListener?.(path);
}

const TICKS_PER_SECOND = 10_000_000;
/** Endpointing: this much quiet after speech closes a phrase (the service's default is similar). */
const END_SILENCE_MS = 500;
const SPEECH_RMS = 300;

/** One recognition turn: audio in (PCM 16 kHz or µ-law 8 kHz), hypotheses and phrases out. */
class RecognitionTurn {
  #samples = 0; // at 16 kHz, from the turn's first audio byte
  #rate = 16000;
  #mulaw = false;
  #header = true;
  #inSpeech = false;
  #speechStart = 0;
  #quietSamples = 0;
  #stream: SttStream;
  #pending: Promise<void> = Promise.resolve();
  #phraseStarts: number[] = [];
  #started = false;

  constructor(
    private readonly ws: WebSocket,
    private readonly requestId: string,
    stt: SphinxSpeechToText,
    private readonly formats: string[],
    /** Language identification asked for in speech.context: what each phrase is identified as. */
    identify: (() => LanguageOfSpeech) | undefined,
  ) {
    this.#stream = stt.openStream({ speaker: 'caller', sampleRate: 16000 });
    // With LID on, every hypothesis and phrase names its language the way the service does:
    // `PrimaryLanguage: { Language, Confidence }` (the SDK reads it into result.language).
    const heardAs = (text: string): { text: string; lid: Record<string, unknown> } => {
      if (!identify) return { text, lid: {} };
      const seen = identify()(text);
      return { text: seen.text ?? text, lid: { PrimaryLanguage: { Language: seen.language, Confidence: 'High' } } };
    };
    this.#stream.on('partial', (p) => {
      if (!p.text) return;
      const heard = heardAs(p.text);
      sendText(ws, 'speech.hypothesis', requestId, { Text: heard.text, Offset: this.#ticks(this.#speechStart), Duration: this.#ticks(this.#samples - this.#speechStart), ...heard.lid });
    });
    this.#stream.on('final', (f) => {
      const start = this.#phraseStarts.shift() ?? 0;
      const end = this.#samples;
      if (f.text) {
        const heard = heardAs(f.text);
        sendText(ws, 'speech.phrase', requestId, {
          RecognitionStatus: 'Success',
          DisplayText: heard.text,
          Offset: this.#ticks(start),
          Duration: this.#ticks(end - start),
          ...heard.lid,
        });
      }
      sendText(ws, 'speech.endDetected', requestId, { Offset: this.#ticks(end) });
    });
  }

  #ticks(samples: number): number {
    return Math.round((samples * TICKS_PER_SECOND) / 16000);
  }

  /** Returns false once the client's empty audio message ended the stream. */
  audio(body: Buffer): boolean {
    if (!this.#started) {
      this.#started = true;
      sendText(this.ws, 'turn.start', this.requestId, { context: { serviceTag: 'stand-in' } });
    }
    if (this.#header && body.length >= 12 && body.subarray(0, 4).toString('latin1') === 'RIFF') {
      // The turn's first audio message is a RIFF header: 44 bytes for PCM, longer for µ-law
      // (its fmt chunk carries cbSize). Walk the chunks to the start of `data`.
      this.#header = false;
      let at = 12;
      while (at + 8 <= body.length) {
        const id = body.subarray(at, at + 4).toString('latin1');
        const size = body.readUInt32LE(at + 4);
        if (id === 'fmt ') {
          this.#mulaw = body.readUInt16LE(at + 8) === 7;
          this.#rate = body.readUInt32LE(at + 12);
        }
        at += 8;
        if (id === 'data') break;
        at += size;
      }
      this.formats.push(this.#mulaw ? `mulaw/${this.#rate}` : `pcm/${this.#rate}`);
      body = body.subarray(Math.min(at, body.length));
      if (body.length === 0) return true;
    }
    if (body.length === 0) return false;
    const pcm = this.#mulaw ? upsample(decodeMulaw(new Uint8Array(body)), this.#rate) : new Int16Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.length));
    this.#endpoint(pcm);
    return true;
  }

  #endpoint(pcm: Int16Array): void {
    let sum = 0;
    for (const s of pcm) sum += s * s;
    const loud = Math.sqrt(sum / Math.max(1, pcm.length)) > SPEECH_RMS;
    this.#stream.write(pcm);
    if (loud) {
      this.#quietSamples = 0;
      if (!this.#inSpeech) {
        this.#inSpeech = true;
        this.#speechStart = this.#samples;
        this.#phraseStarts.push(this.#samples);
        sendText(this.ws, 'speech.startDetected', this.requestId, { Offset: this.#ticks(this.#samples) });
      }
    } else if (this.#inSpeech) {
      this.#quietSamples += pcm.length;
      if (this.#quietSamples >= (END_SILENCE_MS * 16000) / 1000) this.#endPhrase();
    }
    this.#samples += pcm.length;
  }

  #endPhrase(): void {
    this.#inSpeech = false;
    this.#quietSamples = 0;
    const finalized = new Promise<void>((resolve) => {
      const done = (): void => {
        this.#stream.off('final', done);
        resolve();
      };
      this.#stream.on('final', done);
    });
    this.#stream.endUtterance();
    this.#pending = this.#pending.then(() => finalized);
  }

  async end(): Promise<void> {
    if (this.#inSpeech) this.#endPhrase();
    await this.#pending;
    sendText(this.ws, 'turn.end', this.requestId, {});
    await this.#stream.close();
  }

  async abandon(): Promise<void> {
    await this.#stream.close();
  }
}

function upsample(pcm: Int16Array, rate: number): Int16Array {
  if (rate === 16000) return pcm;
  const out = new Int16Array(pcm.length * 2);
  for (let i = 0; i < pcm.length; i++) {
    out[2 * i] = pcm[i]!;
    out[2 * i + 1] = i + 1 < pcm.length ? (pcm[i]! + pcm[i + 1]!) >> 1 : pcm[i]!;
  }
  return out;
}

/** The phrase-list texts anywhere in a speech.context body (`…groups[].items[].text`). */
function phraseListTexts(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(phraseListTexts);
  if (!node || typeof node !== 'object') return [];
  const out: string[] = [];
  for (const [k, v] of Object.entries(node)) {
    if (k.toLowerCase() === 'items' && Array.isArray(v)) {
      for (const item of v) {
        const text = (item as { text?: unknown; Text?: unknown }).text ?? (item as { Text?: unknown }).Text;
        if (typeof text === 'string') out.push(text);
      }
    } else out.push(...phraseListTexts(v));
  }
  return out;
}

function ssmlText(ssml: string): string {
  return ssml
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

async function synthesize(ws: WebSocket, requestId: string, ssml: string, outputFormat: string): Promise<void> {
  const streamId = `stream-${requestId.slice(0, 8)}`;
  sendText(ws, 'turn.start', requestId, { context: { serviceTag: 'stand-in' } });
  sendText(ws, 'response', requestId, { context: { serviceTag: 'stand-in' }, audio: { type: 'inline', streamId } });
  const pcm = await synthesizeWhole(createFliteTextToSpeech({ voice: 'kal16' }), ssmlText(ssml));
  const mulaw = outputFormat.includes('mulaw');
  const chunkSamples = 3200; // 200 ms at 16 kHz: several `synthesizing` events per sentence
  for (let at = 0; at < pcm.length; at += chunkSamples) {
    const piece = pcm.subarray(at, at + chunkSamples);
    let bytes: Buffer;
    if (mulaw) {
      const down = new Int16Array(Math.ceil(piece.length / 2));
      for (let i = 0; i < down.length; i++) down[i] = piece[2 * i]!;
      bytes = Buffer.from(encodeMulaw(down));
    } else {
      bytes = Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
    }
    if (ws.readyState !== ws.OPEN) return;
    sendBinary(ws, 'audio', requestId, { 'X-StreamId': streamId, 'Content-Type': 'audio/x-wav' }, bytes);
  }
  sendText(ws, 'turn.end', requestId, {});
}

/** The settings that put both speech directions of a backend on this stand-in. */
export function azureSpeechSettings(standIn: AzureSpeechStandIn): Record<string, string> {
  return { STT_PROVIDER: 'azure', TTS_PROVIDER: 'azure', AZURE_SPEECH_KEY: standIn.key, AZURE_SPEECH_HOST: standIn.url };
}

export async function startAzureSpeechStandIn(opts: { key?: string } = {}): Promise<AzureSpeechStandIn> {
  let key = opts.key ?? 'stand-in-key';
  const received: AzureSpeechStandIn['received'] = { paths: [], phrases: [], ssml: [], outputFormats: [], audioFormats: [], languageId: [] };
  let speaker: LanguageOfSpeech | undefined;
  const stt = createSphinxSpeechToText({ workers: 1, warmDecoders: 1 });
  const server: Server = createServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req: IncomingMessage, socket, head) => {
    const given = req.headers['ocp-apim-subscription-key'];
    if (given !== key) {
      // What the real service does with a wrong key: the handshake is refused with 401.
      socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  wss.on('connection', (ws: WebSocket, req: IncomingMessage) => {
    const synthesisPath = (req.url ?? '').includes('/cognitiveservices/websocket/v1');
    let turn: RecognitionTurn | undefined;
    let outputFormat = 'raw-16khz-16bit-mono-pcm';
    let candidates: string[] | undefined;
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      const msg = parseMessage(data, isBinary);
      const path = (msg.headers['path'] ?? '').toLowerCase();
      const requestId = msg.headers['x-requestid'] ?? '';
      received.paths.push(path);
      if (path === 'speech.context') {
        try {
          const context = JSON.parse(msg.body.toString('utf8')) as { languageId?: { languages?: string[]; mode?: string } };
          received.phrases.push(...phraseListTexts(context));
          if (context.languageId?.languages) {
            candidates = context.languageId.languages;
            received.languageId.push({ languages: candidates, mode: context.languageId.mode ?? '' });
          }
        } catch {
          // not JSON: the service would reject it; tests look at `paths`
        }
      } else if (path === 'synthesis.context') {
        try {
          const ctx = JSON.parse(msg.body.toString('utf8')) as { synthesis?: { audio?: { outputFormat?: string } } };
          outputFormat = ctx.synthesis?.audio?.outputFormat ?? outputFormat;
          received.outputFormats.push(outputFormat);
        } catch {
          // keep the default format
        }
      } else if (path === 'ssml') {
        const ssml = msg.body.toString('utf8');
        received.ssml.push(ssml);
        void synthesize(ws, requestId, ssml, outputFormat).catch(() => ws.close(1011));
      } else if (path === 'audio' && !synthesisPath) {
        const asked = candidates;
        const identify = asked ? (): LanguageOfSpeech => speaker ?? (() => ({ language: asked[0]! })) : undefined;
        turn ??= new RecognitionTurn(ws, requestId, stt, received.audioFormats, identify);
        const current = turn;
        if (!current.audio(msg.body)) {
          turn = undefined;
          void current.end().catch(() => ws.close(1011));
        }
      }
    });
    ws.on('close', () => void turn?.abandon());
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}`,
    get key() {
      return key;
    },
    setKey(next: string) {
      key = next;
    },
    received,
    speakAs(language) {
      speaker = language;
    },
    onSent(listener) {
      sentListener = listener;
    },
    openConnections: () => wss.clients.size,
    async close() {
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await stt.close?.();
    },
  };
}
