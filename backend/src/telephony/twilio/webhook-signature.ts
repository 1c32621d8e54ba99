// X-Twilio-Signature: Twilio signs every webhook and Media Streams upgrade with the account's
// auth token over the URL it requested (our PUBLIC_URL, not the address we listen on) and,
// for form POSTs, the sorted parameters. The `twilio` package computes it; we only choose
// the URL and parameters exactly as Twilio saw them.
import type { FastifyRequest } from 'fastify';
import twilio from 'twilio';

export interface SignatureCheck {
  authToken: string;
  /** https://… without a trailing slash; the wss form is derived for WebSocket upgrades. */
  publicUrl: string;
}

function header(request: FastifyRequest): string | undefined {
  const value = request.headers['x-twilio-signature'];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** A form-encoded webhook (POST): PUBLIC_URL + path and query, and the POST parameters. */
export function validWebhook(check: SignatureCheck, request: FastifyRequest): boolean {
  const signature = header(request);
  if (!signature) return false;
  const params = (request.body ?? {}) as Record<string, string>;
  return twilio.validateRequest(check.authToken, signature, `${check.publicUrl}${request.url}`, params);
}

/** A Media Streams upgrade: signed over the stream URL exactly as our TwiML gave it, no parameters. */
export function validUpgrade(check: SignatureCheck, request: FastifyRequest): boolean {
  const signature = header(request);
  if (!signature) return false;
  return twilio.validateRequest(check.authToken, signature, `${wssUrl(check.publicUrl)}${request.url}`, {});
}

export function wssUrl(publicUrl: string): string {
  return publicUrl.replace(/^https:/, 'wss:');
}
