// WebSocket /agent/monitor?token=…&sessionId=…: a lead's audio leg while they monitor a call
// (started on the agent channel with monitor.start). The same framing as /agent/media
// (16 kHz L16 both ways): the lead hears the call's mix, and their microphone goes where the
// monitor's mode sends it (listen: nowhere). Closing the leg ends the monitoring.
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import type { UserDirectory } from '../auth/users';
import type { SocketAccess } from '../api/socket-access';
import { readStaffAudio, staffAudioSender } from '../agents/staff-audio-leg';
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
            // In a cluster this is also the answer of a backend that does not hold the call.
            await reply.code(403).send({
              error: 'forbidden',
              message: 'Start monitoring the call first (Listen on the wallboard or team view), then join its audio on the server that monitor.state names (mediaUrl).',
            });
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
    staffAudioSender(socket, streamSid),
    (reason) => {
      if (socket.readyState === socket.OPEN) socket.close(1000, reason.slice(0, 120));
    },
  );
  if (!attached) {
    socket.close(1008, 'not monitoring this call; start monitoring first');
    return;
  }
  readStaffAudio(socket, {
    who: 'lead',
    onStart: () => void opts.sockets.recheck(socket, token),
    onAudio: (pcm) => opts.supervision.supervisorSpoke(leadId, sessionId, pcm),
  });
  socket.on('close', () => opts.supervision.legClosed(leadId, sessionId));
}
