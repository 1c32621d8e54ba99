// The Twilio softphone: a @twilio/voice-sdk Device registered as the signed-in agent
// (identity = their user id, token from GET /api/twilio/token). When the agent accepts an
// offer the backend adds `client:<agent>` to the caller's conference, and the Device rings
// with that leg: we answer it for the call being joined, and refuse any other. The token is
// renewed on `tokenWillExpire`; the SDK's error codes become sentences an agent can act on.
import type { AudioLegState } from '../audio/agent-audio';
import type { Softphone, SoftphoneEvents } from './softphone';

/** The slice of the SDK's Call we use. */
export interface SdkCall {
  accept(): void;
  reject(): void;
  disconnect(): void;
  mute(shouldMute?: boolean): void;
  sendDigits(digits: string): void;
  on(event: 'accept' | 'disconnect' | 'cancel' | 'reject', listener: () => void): unknown;
  on(event: 'error', listener: (error: SdkError) => void): unknown;
}

export interface SdkError {
  code: number;
  message: string;
}

/** The slice of the SDK's Device we use (events as documented: registered, incoming, tokenWillExpire, error). */
export interface SdkDevice {
  register(): Promise<void>;
  updateToken(token: string): void;
  destroy(): void;
  on(event: 'registered' | 'unregistered' | 'tokenWillExpire', listener: () => void): unknown;
  on(event: 'incoming', listener: (call: SdkCall) => void): unknown;
  on(event: 'error', listener: (error: SdkError, call?: SdkCall) => void): unknown;
  /** An outgoing call through the TwiML App; `params` reach its voice URL (/twilio/agent) as POST parameters. */
  connect(options: { params: Record<string, string> }): Promise<SdkCall>;
  readonly audio: {
    setInputDevice(deviceId: string): Promise<void>;
    unsetInputDevice(): Promise<void>;
    speakerDevices: { set(deviceIds: string | string[]): Promise<void> };
  } | null;
}

export type CreateDevice = (token: string) => Promise<SdkDevice>;

export interface TwilioSoftphoneOptions extends SoftphoneEvents {
  fetchToken: () => Promise<string>;
  createDevice: CreateDevice;
}

/** The SDK's error codes (https://www.twilio.com/docs/api/errors) as what the agent can do about them. */
export function describeSdkError(error: SdkError): string {
  switch (error.code) {
    case 20101:
    case 31204:
      return 'The softphone sign-in was refused by Twilio. Sign out and in again; if it keeps happening, ask IT to check the Twilio API key.';
    case 20104:
    case 31205:
      return 'The softphone sign-in expired. Reconnecting; if calls do not ring, sign out and in again.';
    case 31208:
    case 31401:
      return 'The microphone is blocked. Allow microphone access for this app, then accept the call again.';
    case 31402:
      return 'No microphone could be opened. Plug one in or choose another in Settings.';
    case 31000:
    case 31003:
    case 31005:
    case 31009:
    case 53000:
    case 53001:
      return 'The softphone lost its connection to Twilio. Check your network; it reconnects by itself.';
    case 53405:
      return "The call's audio could not connect through this network. Ask IT to allow Twilio's media traffic (see docs/twilio.md).";
    default:
      return `The softphone reported a problem (Twilio error ${error.code}: ${error.message}). Try again; if it persists, sign out and in.`;
  }
}

export class TwilioSoftphone implements Softphone {
  readonly kind = 'twilio' as const;
  readonly #o: TwilioSoftphoneOptions;
  #device: SdkDevice | undefined;
  #stopped = false;
  /** The call being joined (accepted in the app, its leg not yet ringing). */
  #joining: string | undefined;
  /** A leg that rang before the app said which call it is. */
  #ringing: SdkCall | undefined;
  readonly #calls = new Map<string, SdkCall>();
  #dialled: SdkCall | undefined;

  constructor(options: TwilioSoftphoneOptions) {
    this.#o = options;
  }

  async start(): Promise<void> {
    this.#stopped = false;
    let device: SdkDevice;
    try {
      device = await this.#o.createDevice(await this.#o.fetchToken());
    } catch (err) {
      this.#o.onProblem(`The softphone could not start (${(err as Error).message}). Reload the app; if it persists, ask IT to check the Twilio settings.`);
      return;
    }
    if (this.#stopped) return device.destroy();
    this.#device = device;
    device.on('error', (error) => this.#o.onProblem(describeSdkError(error)));
    device.on('tokenWillExpire', () => {
      this.#o.fetchToken().then(
        (token) => this.#device?.updateToken(token),
        () => this.#o.onProblem('The softphone sign-in could not be renewed. Check your connection; sign in again if calls stop ringing.'),
      );
    });
    device.on('incoming', (call) => this.#incoming(call));
    try {
      await device.register();
    } catch (err) {
      this.#o.onProblem(describeSdkError(err as SdkError));
    }
  }

  stop(): void {
    this.#stopped = true;
    this.hangUpDialled();
    for (const call of this.#calls.values()) call.disconnect();
    this.#calls.clear();
    this.#ringing?.reject();
    this.#ringing = undefined;
    this.#joining = undefined;
    this.#device?.destroy();
    this.#device = undefined;
  }

  join(sessionId: string): void {
    if (this.#calls.has(sessionId)) return;
    this.#o.onLegState(sessionId, 'starting');
    const ringing = this.#ringing;
    this.#ringing = undefined;
    if (ringing) this.#answer(sessionId, ringing);
    else this.#joining = sessionId;
  }

  leave(sessionId: string): void {
    const call = this.#calls.get(sessionId);
    this.#calls.delete(sessionId);
    if (this.#joining === sessionId) this.#joining = undefined;
    call?.disconnect();
  }

  setMuted(sessionId: string, muted: boolean): void {
    this.#calls.get(sessionId)?.mute(muted);
  }

  setHeld(sessionId: string, held: boolean): void {
    // The backend holds the caller in the conference; our microphone stays quiet meanwhile.
    this.#calls.get(sessionId)?.mute(held);
  }

  sendDigits(sessionId: string, digits: string): boolean {
    const call = this.#calls.get(sessionId);
    if (!call) return false;
    call.sendDigits(digits);
    return true;
  }

  async dial(phone: string): Promise<boolean> {
    const device = this.#device;
    if (!device) {
      this.#o.onProblem('The softphone is not connected to Twilio yet, so it cannot dial. Wait a moment or sign in again.');
      return true;
    }
    try {
      const call = await device.connect({ params: { To: phone } });
      this.#dialled = call;
      call.on('disconnect', () => {
        if (this.#dialled === call) this.#dialled = undefined;
      });
      call.on('error', (error) => this.#o.onProblem(describeSdkError(error)));
    } catch (err) {
      this.#o.onProblem(describeSdkError(err as SdkError));
    }
    return true;
  }

  hangUpDialled(): void {
    this.#dialled?.disconnect();
    this.#dialled = undefined;
  }

  async setMicrophone(deviceId: string | null): Promise<void> {
    const audio = this.#device?.audio;
    if (!audio) return;
    if (deviceId) await audio.setInputDevice(deviceId);
    else await audio.unsetInputDevice();
  }

  async setSpeaker(deviceId: string | null): Promise<void> {
    await this.#device?.audio?.speakerDevices.set(deviceId ?? 'default');
  }

  #incoming(call: SdkCall): void {
    const sessionId = this.#joining;
    if (sessionId) {
      this.#joining = undefined;
      this.#answer(sessionId, call);
      return;
    }
    // The conference can ring before the app has processed the accept: keep it a moment.
    this.#ringing?.reject();
    this.#ringing = call;
    call.on('cancel', () => {
      if (this.#ringing === call) this.#ringing = undefined;
    });
  }

  #answer(sessionId: string, call: SdkCall): void {
    this.#calls.set(sessionId, call);
    const state = (s: AudioLegState, detail?: string) => this.#o.onLegState(sessionId, s, detail);
    call.on('accept', () => state('live'));
    call.on('disconnect', () => {
      if (this.#calls.get(sessionId) === call) this.#calls.delete(sessionId);
      state('ended');
    });
    call.on('error', (error) => state('failed', describeSdkError(error)));
    call.accept();
  }
}
