// The Twilio REST client, through the official `twilio` package. TWILIO_API_BASE_URL sends
// every request to another origin (the test stand-in, an egress proxy) with the same paths.
import twilio from 'twilio';
import type { AppConfig } from '../../config/config';

export type TwilioClient = twilio.Twilio;
type RequestOptions<TData> = Parameters<twilio.RequestClient['request']>[0] & { data?: TData };
type TwilioResponse<TData> = Awaited<ReturnType<twilio.RequestClient['request']>> & { body: TData };

/** Rewrites https://<service>.twilio.com/<path> to <base>/<path>, keeping method, auth and body. */
class RedirectingRequestClient extends twilio.RequestClient {
  readonly #base: string;
  constructor(base: string) {
    super();
    this.#base = base;
  }
  override request<TData>(opts: RequestOptions<TData>): Promise<TwilioResponse<TData>> {
    const uri = new URL(opts.uri);
    return super.request<TData>({ ...opts, uri: `${this.#base}${uri.pathname}${uri.search}` });
  }
}

export function createTwilioClient(config: Pick<AppConfig, 'TWILIO_ACCOUNT_SID' | 'TWILIO_AUTH_TOKEN' | 'TWILIO_API_BASE_URL'>): TwilioClient {
  if (!config.TWILIO_ACCOUNT_SID || !config.TWILIO_AUTH_TOKEN) {
    throw new Error('TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are needed for the Twilio REST API; see docs/twilio.md.');
  }
  return twilio(config.TWILIO_ACCOUNT_SID, config.TWILIO_AUTH_TOKEN, {
    ...(config.TWILIO_API_BASE_URL ? { httpClient: new RedirectingRequestClient(config.TWILIO_API_BASE_URL) } : {}),
  });
}

/** A REST failure as one line for the session log and the server log. */
export function describeRestError(err: unknown): string {
  if (err instanceof twilio.RestException) return `Twilio REST ${err.status} (code ${err.code}): ${err.message}`;
  return err instanceof Error ? err.message : String(err);
}
