// The framing of a staff member's audio leg (/agent/media for agents, /agent/monitor for
// leads): 16 kHz L16 both ways in the carriers' JSON frames. One owner, so both legs refuse
// the same bad input the same way (wrong format, media before start, a malformed frame).
import type { WebSocket } from 'ws';
import { parseCallerFrame, L16_16K } from '../../../contracts/media-stream';
import { decodeL16, encodeL16 } from '../media/l16';

/** Sends call audio to the staff member's speaker; dropped once the socket is closing. */
export function staffAudioSender(socket: WebSocket, streamSid: string): (pcm: Int16Array) => void {
  return (pcm) => {
    if (socket.readyState !== socket.OPEN) return;
    const bytes = encodeL16(pcm);
    socket.send(JSON.stringify({ event: 'media', streamSid, media: { payload: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64') } }));
  };
}

export interface StaffAudioHandlers {
  /** Who speaks on this leg, for close reasons ("agent", "lead"). */
  who: string;
  /** The stream started in the right format (a moment to re-check the account). */
  onStart: () => void;
  /** A frame of the staff member's microphone, after start. */
  onAudio: (pcm: Int16Array) => void;
}

/** Reads the staff member's frames; anything out of contract closes the leg with the reason. */
export function readStaffAudio(socket: WebSocket, handlers: StaffAudioHandlers): void {
  let started = false;
  socket.on('message', (data: Buffer) => {
    const parsed = parseCallerFrame(data);
    if (!parsed.ok) {
      socket.close(parsed.closeCode, parsed.reason);
      return;
    }
    const frame = parsed.frame;
    if (frame.event === 'start') {
      if (frame.start.mediaFormat.encoding !== L16_16K.encoding || frame.start.mediaFormat.sampleRate !== L16_16K.sampleRate) {
        socket.close(1008, `${handlers.who} audio must be audio/x-l16 at 16000 Hz`);
        return;
      }
      started = true;
      handlers.onStart();
    } else if (frame.event === 'media') {
      if (!started) {
        socket.close(1008, 'media frame before start; send start with the mediaFormat first');
        return;
      }
      handlers.onAudio(decodeL16(Buffer.from(frame.media.payload, 'base64')));
    } else if (frame.event === 'stop') {
      socket.close(1000, `${handlers.who} left the call audio`);
    }
  });
}
