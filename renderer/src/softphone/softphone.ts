// The Softphone port: how the agent's app carries the audio of the calls it holds. The app
// picks the adapter matching the backend's carrier (GET /api/telephony): `LocalSoftphone`
// streams audio over the backend's WebSocket, `TwilioSoftphone` uses the Twilio Voice SDK.
import type { AudioLegState } from '../audio/agent-audio';

export type SoftphoneKind = 'local' | 'twilio';

export interface SoftphoneEvents {
  /** The audio of one call changed state (live, no microphone, failed …); detail is a plain sentence. */
  onLegState: (sessionId: string, state: AudioLegState, detail?: string) => void;
  /** A problem with the softphone itself (registration, token, network), in plain words. */
  onProblem: (message: string) => void;
}

export interface Softphone {
  readonly kind: SoftphoneKind;
  /** After sign-in: get ready to carry calls (Twilio registers its Device here). */
  start(): Promise<void>;
  /** Sign-out: every call's audio stops, nothing stays registered. */
  stop(): void;
  /** The agent holds this call now: connect its audio (`mediaUrl`: the backend holding the call, in a cluster). */
  join(sessionId: string, mediaUrl?: string): void;
  leave(sessionId: string): void;
  setMuted(sessionId: string, muted: boolean): void;
  setHeld(sessionId: string, held: boolean): void;
  /** Keypad tones from the agent; true when the softphone sent them itself (the server then only logs them). */
  sendDigits(sessionId: string, digits: string): boolean;
  /** Dials a customer from the softphone itself (Twilio: through the TwiML App); false when the server places the call. */
  dial(phone: string): Promise<boolean>;
  /** Ends a call the softphone dialled itself. */
  hangUpDialled(): void;
  setMicrophone(deviceId: string | null): Promise<void>;
  setSpeaker(deviceId: string | null): Promise<void>;
}
