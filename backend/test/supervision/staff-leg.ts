// A staff audio leg for supervision tests (an agent's /agent/media or a lead's
// /agent/monitor, 16 kHz L16 framing) that keeps what it hears, and the tone level a
// scripted caller heard, so "who hears whom" is checked by content.
import WebSocket from 'ws';
import { expect } from 'vitest';
import type { ScriptedCaller } from '../../src/telephony/local/scripted-caller';
import { AGENT_HZ, LEAD_HZ, concat, tone, toneLevel } from './tones';

export class StaffLeg {
  readonly heard: Int16Array[] = [];
  readonly ws: WebSocket;
  closedWith: { code: number; reason: string } | undefined;
  constructor(baseUrl: string, path: '/agent/media' | '/agent/monitor', token: string, sessionId: string) {
    this.ws = new WebSocket(`${baseUrl.replace('http', 'ws')}${path}?token=${token}&sessionId=${sessionId}`);
    this.ws.on('message', (d: Buffer) => {
      const f = JSON.parse(d.toString()) as { event: string; media?: { payload: string } };
      if (f.event === 'media' && f.media) {
        const b = Buffer.from(f.media.payload, 'base64');
        this.heard.push(new Int16Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)));
      }
    });
    this.ws.on('close', (code, reason) => (this.closedWith = { code, reason: reason.toString() }));
  }
  async open(): Promise<void> {
    await new Promise((r, j) => (this.ws.once('open', r), this.ws.once('error', j)));
    this.ws.send(JSON.stringify({ event: 'start', sequenceNumber: '1', streamSid: 'MZleg', start: { streamSid: 'MZleg', callSid: 'CAleg', tracks: ['inbound'], customParameters: { from: 'agent' }, mediaFormat: { encoding: 'audio/x-l16', sampleRate: 16000, channels: 1 } } }));
  }
  /** Streams audio in 20 ms frames at real time. */
  async speak(pcm: Int16Array): Promise<void> {
    for (let i = 0; i < pcm.length; i += 320) {
      const c = pcm.slice(i, i + 320);
      this.ws.send(JSON.stringify({ event: 'media', sequenceNumber: String(i), streamSid: 'MZleg', media: { track: 'inbound', chunk: '1', timestamp: '0', payload: Buffer.from(c.buffer).toString('base64') } }));
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  level(hz: number, from = 0): number {
    return toneLevel(concat(this.heard.slice(from)), hz);
  }
}

/** How strong `hz` is in what the caller heard from frame `from` on. */
export function callerLevel(caller: ScriptedCaller, hz: number, from: number): number {
  const frames = caller.received.slice(from).flatMap((f) => {
    if (f.event !== 'media') return [];
    const b = Buffer.from(f.media.payload, 'base64');
    return [new Int16Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength))];
  });
  return toneLevel(concat(frames), hz);
}

/** In whisper, agent and lead speak: the agent hears the lead, the caller hears the agent and none of the lead. */
export async function expectWhisperOnlyToAgent(caller: ScriptedCaller, agentLeg: StaffLeg, leadLeg: StaffLeg): Promise<void> {
  const callerFrom = caller.received.length;
  const agentFrom = agentLeg.heard.length;
  await Promise.all([agentLeg.speak(tone(AGENT_HZ, 16_000)), leadLeg.speak(tone(LEAD_HZ, 16_000))]);
  expect(agentLeg.level(LEAD_HZ, agentFrom)).toBeGreaterThan(1500);
  expect(callerLevel(caller, AGENT_HZ, callerFrom)).toBeGreaterThan(1500);
  expect(callerLevel(caller, LEAD_HZ, callerFrom)).toBeLessThan(100);
}
