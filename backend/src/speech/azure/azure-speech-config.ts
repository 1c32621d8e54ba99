// How our Azure Speech settings become the SDK's SpeechConfig, shared by recognition and
// synthesis: a key with a region (the public service), or a key with a host (containers,
// private endpoints, the test stand-in). `fromHost` is used for hosts because `fromEndpoint`
// with a bare resource URL first fetches an https redirect, which fails off the internet.
import * as sdk from 'microsoft-cognitiveservices-speech-sdk';

export interface AzureSpeechOptions {
  key: string;
  /** e.g. westeurope; ignored when `host` is set. */
  region?: string;
  /** ws(s)://host[:port], used through SpeechConfig.fromHost. */
  host?: string;
  /** Recognition language, BCP-47 (en-US). */
  language?: string;
  /** Neural voice used when a request names none (or names a local flite voice). */
  voice?: string;
}

export const DEFAULT_AZURE_VOICE = 'en-US-JennyNeural';

export function azureSpeechConfig(o: AzureSpeechOptions): sdk.SpeechConfig {
  if (o.host) return sdk.SpeechConfig.fromHost(new URL(o.host), o.key);
  if (!o.region) throw new Error('Azure Speech needs AZURE_SPEECH_REGION (e.g. westeurope) or AZURE_SPEECH_HOST; see docs/providers.md.');
  return sdk.SpeechConfig.fromSubscription(o.key, o.region);
}

/** Where the SDK connects, for banners and errors (never the key). */
export function azureSpeechTarget(o: AzureSpeechOptions): string {
  return o.host ?? `${o.region ?? '?'}.api.cognitive.microsoft.com`;
}

/** The SDK's cancellation details in words an operator can act on. */
export function describeAzureCancellation(code: sdk.CancellationErrorCode, details: string, o: AzureSpeechOptions): string {
  const where = azureSpeechTarget(o);
  if (code === sdk.CancellationErrorCode.AuthenticationFailure || /\b401\b|\b403\b/.test(details)) {
    return `Azure Speech refused the key at ${where} (${details}). Check AZURE_SPEECH_KEY and AZURE_SPEECH_REGION.`;
  }
  if (code === sdk.CancellationErrorCode.ConnectionFailure) {
    return `Azure Speech at ${where} could not be reached (${details}). Check AZURE_SPEECH_REGION / AZURE_SPEECH_HOST and the network.`;
  }
  return `Azure Speech at ${where} failed: ${sdk.CancellationErrorCode[code]} (${details}).`;
}
