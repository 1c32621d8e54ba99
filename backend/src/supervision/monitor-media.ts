// WebSocket /agent/monitor?token=…&sessionId=…: a lead's audio leg while they monitor a call
// (started on the agent channel with monitor.start). The same framing as /agent/media
// (16 kHz L16 both ways): the lead hears the call's mix, and their microphone goes where the
// monitor's mode sends it (listen: nowhere). Closing the leg ends the monitoring.
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import { parseCallerFrame, L16_16K } from '../../../contracts/media-stream';
import type { UserDirectory } from '../auth/users';
import type { SocketAccess } from '../api/socket-access';
import { decodeL16, encodeL16 } from '../media/l16';
import { authenticateSocket, CLOSE_SIGN_IN_AGAIN, SIGN_IN_AGAIN } from '../agents/agent-hub';
import type { Supervision } from './supervision';

export interface MonitorMediaOptions {
  supervision: Supervision;
  users: UserDirectory;
  sockets: SocketAccess;
}

export function monitorMediaRoutes(opts: MonitorMediaOptions) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get(
      '/agent/monitor',
      {
        websocket: true,
        preValidation: async (request, reply) => {
          await authenticateSocket(opts.users, request, reply);
          if (reply.sent || !request.agentUser) return;
          const sessionId = (request.query as { sessionId?: string }).sessionId ?? '';
          if (!opts.supervision.isMonitoring(request.agentUser.id, sessionId)) {
            await reply.code(403).send({ error: 'forbidden', message: 'Start monitoring the call first (Listen on the wallboard or team view), then join its audio.' });
          }
        },
      },
      (socket: WebSocket, request) => {
        if (!request.agentUser || !request.agentToken) return socket.close(CLOSE_SIGN_IN_AGAIN, SIGN_IN_AGAIN);
        const lead = request.agentUser;
        opts.sockets.track(socket, lead, request.agentToken);
        const sessionId = (request.query as { sessionId: string }).sessionId;
        joinMonitorAudio(socket, lead.id, request.agentToken, sessionId, opts);
      },
    );
  };
}

function joinMonitorAudio(socket: WebSocket, leadId: string, token: string, sessionId: string, opts: MonitorMediaOptions): void {
  const streamSid = `MM${sessionId.replaceAll('-', '').slice(0, 30)}`;
  const attached = opts.supervision.attachLeg(
    leadId,
    sessionId,
    (pcm) => {
      if (socket.readyState !== socket.OPEN) return;
      const bytes = encodeL16(pcm);
      socket.send(JSON.stringify({ event: 'media', streamSid, media: { payload: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64') } }));
    },
    (reason) => {
      if (socket.readyState === socket.OPEN) socket.close(1000, reason.slice(0, 120));
    },
  );
  if (!attached) {
    socket.close(1008, 'not monitoring this call; start monitoring first');
    return;
  }
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
        socket.close(1008, 'monitor audio must be audio/x-l16 at 16000 Hz');
        return;
      }
      started = true;
      void opts.sockets.recheck(socket, token);
    } else if (frame.event === 'media') {
      if (!started) {
        socket.close(1008, 'media frame before start; send start with the mediaFormat first');
        return;
      }
      opts.supervision.supervisorSpoke(leadId, sessionId, decodeL16(Buffer.from(frame.media.payload, 'base64')));
    } else if (frame.event === 'stop') {
      socket.close(1000, 'lead left the call audio');
    }
  });
  socket.on('close', () => opts.supervision.legClosed(leadId, sessionId));
}
