// The call-control port: what the agent desk and the hold line may do to a live call once
// the AI has handed it over, whatever carries it. The local carrier does all of it over the
// one media stream; Twilio does it with its REST API and a conference (agent audio travels
// over WebRTC there, never through us). The AI media pipeline (VoiceCall) stays carrier-neutral.

export type CarrierName = 'local' | 'twilio';

/** Who ended a call, as the session log records it. */
export type EndedBy = 'caller' | 'ai' | 'agent' | 'system';

/** The carrier could not do what was asked (a REST error, a call that is gone); the message says what to do. */
export class CallControlError extends Error {}

export interface CallControl {
  readonly carrier: CarrierName;
  /** The number (or id) the caller called from: a callback goes here by default. */
  readonly callerId: string;
  /** The caller is gone; nothing more can be done to this call. */
  readonly ended: boolean;
  /** Something is still being said or played to the caller: hold audio waits for it. */
  readonly busy: boolean;
  /**
   * Says a line to the caller outside any AI turn (hold line, system). With `expectDigits`
   * the caller may answer on the keypad: the digits come back through the call's listener.
   */
  announce(text: string, opts?: { expectDigits?: boolean }): Promise<void>;
  /** Keeps soft hold audio going (called on every hold-line tick; a carrier that loops its own music ignores it). */
  continueHoldAudio(): void;
  stopHoldAudio(): void;
  /**
   * The caller now waits for a person. `handoverLine` is the AI's last sentence, which may
   * still be playing (or, when the move starts at the escalation itself, still being
   * composed): a carrier that moves the call elsewhere says it there instead.
   */
  waitForPerson(handoverLine?: string | Promise<string>): Promise<void>;
  /** An agent accepted: connect them to the caller. */
  bridgeAgent(agentId: string): Promise<void>;
  /** Audio from an agent's leg through the backend (local carrier); carriers that bridge the agent themselves ignore it. */
  relayAgentAudio(pcm16k: Int16Array): void;
  mute(muted: boolean): Promise<void>;
  hold(held: boolean): Promise<void>;
  /** The agent leaves; the caller waits for the next person. */
  transfer(): Promise<void>;
  sendDigits(digits: string): Promise<void>;
  /**
   * The agent paused (or resumed) the recording: a carrier that records the call itself
   * (Twilio's conference recording) pauses its copy too; ours is paused by the desk.
   */
  pauseRecording(paused: boolean): Promise<void>;
  /** Ends the call; a farewell line is said first when given. */
  hangUp(by: Exclude<EndedBy, 'caller'>, reason: string, farewell?: string): Promise<void>;
}
