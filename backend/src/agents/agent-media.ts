// WebSocket /agent/media?token=…&sessionId=…: the agent's microphone and speaker, joined to
// the caller through the backend in the same framing as the carriers (16 kHz L16 both
// ways). The agent's words are transcribed live, labelled "agent", like the caller's.
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import type { UserDirectory } from '../auth/users';
import { readStaffAudio, staffAudioSender } from './staff-audio-leg';
import { redactPartial } from '../policy/redaction';
import type { SpeechToText } from '../speech/types';
import type { SocketAccess } from '../api/socket-access';
import type { SessionStore } from '../store/session-store';
import type { AgentDesk } from './agent-desk';
import { openAgentTranscript } from './agent-transcript';
import { authenticateSocket, CLOSE_SIGN_IN_AGAIN, SIGN_IN_AGAIN } from './agent-hub';

export interface AgentMediaOptions {
  desk: AgentDesk;
  users: UserDirectory;
  store: SessionStore;
  stt: SpeechToText;
  /** Open staff sockets; the audio leg is closed with them when access ends. */
  sockets: SocketAccess;
  endOfTurnSilenceMs: number;
  notifyPartial: (agentId: string, sessionId: string, text: string) => void;
}

export function agentMediaRoutes(opts: AgentMediaOptions) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get(
      '/agent/media',
      {
        websocket: true,
        preValidation: async (request, reply) => {
          await authenticateSocket(opts.users, request, reply);
          if (reply.sent || !request.agentUser) return;
          const sessionId = (request.query as { sessionId?: string }).sessionId ?? '';
          if (!opts.desk.holds(request.agentUser!.id, sessionId)) {
            await reply.code(403).send({ error: 'forbidden', message: 'You can join the audio only of a call you have accepted.' });
          }
        },
      },
      (socket: WebSocket, request) => {
        if (!request.agentUser || !request.agentToken) return socket.close(CLOSE_SIGN_IN_AGAIN, SIGN_IN_AGAIN);
        const agent = request.agentUser;
        // Sign-out, a password reset or deactivation closes the audio leg at once.
        opts.sockets.track(socket, agent, request.agentToken);
        const sessionId = (request.query as { sessionId: string }).sessionId;
        void joinAgentAudio(socket, agent.id, request.agentToken, sessionId, opts).catch((err: unknown) => {
          request.log.error({ err: String(err) }, 'agent audio failed');
          socket.close(1011, 'agent audio failed; rejoin the call audio');
        });
      },
    );
  };
}

async function joinAgentAudio(socket: WebSocket, agentId: string, token: string, sessionId: string, opts: AgentMediaOptions): Promise<void> {
  const streamSid = `MA${sessionId.replaceAll('-', '').slice(0, 30)}`;
  const transcript = await openAgentTranscript({
    stt: opts.stt,
    store: opts.store,
    sessionId,
    endOfTurnSilenceMs: opts.endOfTurnSilenceMs,
    onPartial: (text) => opts.notifyPartial(agentId, sessionId, redactPartial(text)),
  });

  // The caller's voice, as it arrives, to the agent's speaker.
  opts.desk.attachAgentAudio(sessionId, agentId, staffAudioSender(socket, streamSid));

  readStaffAudio(socket, {
    who: 'agent',
    // Starting the stream is an action: the account must still be active (revocation
    // closes the leg at once; this catches a change made behind the directory's back).
    onStart: () => void opts.sockets.recheck(socket, token),
    onAudio: (pcm) => {
      if (opts.desk.isMuted(sessionId, agentId)) return;
      // Speaking translated: the caller hears the agent's words synthesized in their language instead.
      if (!opts.desk.speaksTranslated(sessionId)) opts.desk.agentSpoke(sessionId, agentId, pcm);
      transcript.write(pcm);
    },
  });
  socket.on('close', () => {
    opts.desk.attachAgentAudio(sessionId, agentId, undefined);
    transcript.close();
  });
}
