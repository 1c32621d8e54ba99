// GET /api/telephony: which carrier this server uses, so the agent app picks the matching
// softphone (built-in WebSocket audio for `local`, the Twilio Voice SDK for `twilio`).
import type { FastifyInstance } from 'fastify';
import type { CarrierName } from '../../telephony/call-control';

export function telephonyRoutes(carrier: CarrierName) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get('/api/telephony', async () => ({ carrier }));
  };
}
