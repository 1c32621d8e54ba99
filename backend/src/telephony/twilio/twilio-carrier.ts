// The Twilio carrier, wired from configuration: REST client, signature checks over
// PUBLIC_URL, the live-call registry, and the routes (webhooks, media streams, token).
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../runtime/services';
import type { SpeechEngines } from '../../runtime/speech-engines';
import type { BusyLine } from '../busy-line';
import type { CallControl } from '../call-control';
import type { CallRegistry } from '../call-registry';
import type { StreamLimits } from '../stream-guard';
import type { TurnMetrics, VoiceCall } from '../voice-call';
import { TwilioCallControl, type TwilioPhase } from './twilio-call-control';
import { TwilioOutbound } from './twilio-outbound';
import { TwilioCalls } from './twilio-calls';
import { createTwilioClient, type TwilioClient } from './twilio-rest';
import { twilioStreamRoutes } from './twilio-streams';
import { twilioTokenRoutes } from './twilio-token';
import { twilioWebhookRoutes } from './twilio-webhooks';
import type { TwimlUrls } from './twiml';
import type { SignatureCheck } from './webhook-signature';

export interface TwilioCarrierOptions {
  services: Services;
  speech: SpeechEngines;
  /** The one owner of live calls, shared with the local carrier (admission, release). */
  registry: CallRegistry;
  busyLine: BusyLine;
  limits: StreamLimits;
  /** A call is up (session created): the agent desk attaches here. */
  onCallStarted: (call: VoiceCall, control: CallControl) => void;
  onTurnMetrics?: (m: TurnMetrics) => void;
  onBargeIn?: (info: { speechStartWallMs: number; clearSentWallMs: number }) => void;
  /** Each REST request as it is sent (benchmark). */
  onRestRequest?: (sessionId: string | undefined, what: string, sentAtMs: number) => void;
  /** The agent's leg dropped while the caller waits in the conference: re-queue the caller, the agent to wrap-up. */
  onAgentLegLost: (sessionId: string, why: string) => Promise<void>;
  /** An agent's softphone dials out: same rules as the desk's dial (free, one at a time); the message says why not. */
  placeOutbound: (agentId: string) => Promise<{ ok: true } | { ok: false; message: string }>;
  /** A placed outbound call never became a call (the agent gets their status back). */
  outboundUnanswered: (agentId: string, phone: string) => void;
  /** The agent's words as they are recognized (the desk forwards them to the agent's app). */
  onAgentPartial?: (sessionId: string, text: string) => void;
}

/** What the route modules share. */
export interface TwilioCarrierContext extends TwilioCarrierOptions {
  client: TwilioClient;
  urls: TwimlUrls;
  signature: SignatureCheck;
  calls: TwilioCalls;
  outbound: TwilioOutbound;
  newControl(call: VoiceCall, callSid: string, phase?: TwilioPhase): TwilioCallControl;
  /** Work that ends a call: shutdown waits for it. */
  end(work: Promise<void>): void;
}

/** How long a finished call still answers Twilio's late callbacks (call completed, recording). */
const KEEP_ENDED_MS = 10 * 60_000;

export function twilioCarrierRoutes(opts: TwilioCarrierOptions) {
  return async (app: FastifyInstance): Promise<void> => {
    const { config } = opts.services;
    const publicUrl = config.PUBLIC_URL;
    if (!publicUrl || !config.TWILIO_AUTH_TOKEN || !config.TWILIO_PHONE_NUMBER) {
      throw new Error('The Twilio carrier needs PUBLIC_URL, TWILIO_AUTH_TOKEN and TWILIO_PHONE_NUMBER; see docs/twilio.md.');
    }
    const calls = new TwilioCalls();
    const endings = new Set<Promise<void>>();
    const end = (work: Promise<void>) => {
      const settled = work.catch((err: unknown) => app.log.error({ err: String(err) }, 'ending a Twilio call failed'));
      endings.add(settled);
      void settled.finally(() => endings.delete(settled));
    };
    const client = createTwilioClient(config);
    const outbound = new TwilioOutbound((placed) => opts.outboundUnanswered(placed.agentId, placed.phone));
    app.addHook('onClose', async () => outbound.close());
    // The package loads each REST resource on first use: load the ones calls need now, not on the first escalation.
    void client.calls;
    void client.conferences;
    const ctx: TwilioCarrierContext = {
      ...opts,
      client,
      urls: { publicUrl },
      signature: { authToken: config.TWILIO_AUTH_TOKEN, publicUrl },
      calls,
      outbound,
      newControl: (call, callSid, phase) => {
        const control: TwilioCallControl = new TwilioCallControl({
          voice: call,
          callSid,
          ...(phase ? { phase } : {}),
          client,
          urls: { publicUrl },
          phoneNumber: config.TWILIO_PHONE_NUMBER!,
          store: opts.services.store,
          log: app.log,
          onRestRequest: (what, at) => opts.onRestRequest?.(call.sessionId, what, at),
          onAgentLeg: (legSid) => calls.addLeg(legSid, control),
        });
        return control;
      },
      end,
    };
    // Live calls are ended by the shared registry at shutdown; wait for callback-driven endings too.
    app.addHook('preClose', async () => {
      await Promise.allSettled([...endings]);
    });
    // Forget finished calls after a while (late callbacks for them are still answered until then).
    const endedSince = new Map<TwilioCallControl, number>();
    const sweep = setInterval(() => {
      for (const control of calls.all()) {
        if (!control.ended) continue;
        const since = endedSince.get(control) ?? Date.now();
        endedSince.set(control, since);
        if (Date.now() - since > KEEP_ENDED_MS) {
          calls.remove(control);
          endedSince.delete(control);
        }
      }
    }, 60_000);
    sweep.unref();
    app.addHook('onClose', async () => clearInterval(sweep));

    await app.register(twilioWebhookRoutes(ctx));
    await app.register(twilioStreamRoutes(ctx));
    await app.register(twilioTokenRoutes(opts.services.users, config));
  };
}
