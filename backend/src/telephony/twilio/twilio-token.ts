// GET /api/twilio/token: a short-lived AccessToken with a VoiceGrant for the signed-in agent's
// softphone (@twilio/voice-sdk Device). The identity is the agent's user id, which is also
// how the conference dials them (client:<id>) on accept.
import type { FastifyInstance } from 'fastify';
import twilio from 'twilio';
import type { AppConfig } from '../../config/config';
import type { UserDirectory } from '../../auth/users';
import { requireRole } from '../../api/auth-guard';

/** Ten minutes: the app refreshes it on the SDK's tokenWillExpire, so a leaked token is short-lived. */
export const TWILIO_TOKEN_TTL_S = 600;

export function twilioTokenRoutes(users: UserDirectory, config: AppConfig) {
  return async (app: FastifyInstance): Promise<void> => {
    const agents = requireRole(users, ['agent', 'lead']);
    app.get('/api/twilio/token', { preHandler: agents }, async (request, reply) => {
      const { TWILIO_ACCOUNT_SID, TWILIO_API_KEY, TWILIO_API_SECRET, TWILIO_TWIML_APP_SID } = config;
      if (config.CARRIER !== 'twilio' || !TWILIO_ACCOUNT_SID || !TWILIO_API_KEY || !TWILIO_API_SECRET || !TWILIO_TWIML_APP_SID) {
        return reply.code(404).send({ error: 'not_found', message: 'This server does not use Twilio (CARRIER is not twilio); the app uses its built-in audio.' });
      }
      const identity = request.user!.id;
      const token = new twilio.jwt.AccessToken(TWILIO_ACCOUNT_SID, TWILIO_API_KEY, TWILIO_API_SECRET, { identity, ttl: TWILIO_TOKEN_TTL_S });
      token.addGrant(new twilio.jwt.AccessToken.VoiceGrant({ incomingAllow: true, outgoingApplicationSid: TWILIO_TWIML_APP_SID }));
      return reply.header('cache-control', 'no-store').send({
        token: token.toJwt(),
        identity,
        expiresAt: new Date(Date.now() + TWILIO_TOKEN_TTL_S * 1000).toISOString(),
      });
    });
  };
}
