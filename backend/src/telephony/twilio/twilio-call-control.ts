// Call control on Twilio. The call starts on a bidirectional Media Stream (the AI talks over
// it, and so does the hold line while the caller is still there); when the caller waits for
// a person the live call is updated through the REST API into a conference named by the
// session, with both legs forked back to us for transcription. From then on everything is a
// REST request: the agent joins the conference on accept, mute and hold are participant
// updates, announcements are participant announceUrls, keypad questions briefly take the
// caller out to a <Gather>. A REST failure is logged in the session, apologised for, and the
// caller stays on the stream with the AI's hold line (callback offer included).
import { randomUUID } from 'node:crypto';
import type { SessionStore } from '../../store/session-store';
import type { CallControl, EndedBy } from '../call-control';
import { StreamCallControl } from '../stream-call-control';
import type { VoiceCall } from '../voice-call';
import { describeRestError, type TwilioClient } from './twilio-rest';
import { keypadQuestion, moveToConference, farewell as farewellTwiml, type TwimlUrls } from './twiml';

/**
 * Where the call is: on its media stream with the AI, moving, in the session's conference,
 * or `dialled` — an agent's outbound call, a <Dial> from their softphone that we only fork.
 */
export type TwilioPhase = 'stream' | 'moving' | 'conference' | 'dialled';

/** What a conference participant hears once: a sentence, keypad tones, or a line in our voice (its words may still be being composed). */
export type AnnouncementLine = { text: string } | { digits: string } | { audio: string | Promise<string> };

export interface TwilioCallControlOptions {
  voice: VoiceCall;
  /** The caller's call (CA…); for an outbound call, the agent's softphone leg that dialled. */
  callSid: string;
  /** `dialled` for an agent's outbound call; otherwise the call starts on its stream. */
  phase?: TwilioPhase;
  client: TwilioClient;
  urls: TwimlUrls;
  /** Our number: the caller ID Twilio shows the agent's softphone. */
  phoneNumber: string;
  store: SessionStore;
  log: { info: (obj: object, msg: string) => void; warn: (obj: object, msg: string) => void; error: (obj: object, msg: string) => void };
  /** Timing of each REST request we send (the benchmark's "escalate → REST update sent"). */
  onRestRequest?: (what: string, sentAtMs: number) => void;
  /** Twilio created the agent's leg: its status callbacks belong to this call. */
  onAgentLeg?: (callSid: string) => void;
}

const APOLOGY =
  "I'm sorry, I couldn't connect you to a person just now. Please stay on the line and I'll keep trying, or ask for a callback.";

export class TwilioCallControl implements CallControl {
  readonly carrier = 'twilio' as const;
  readonly callSid: string;
  readonly #o: TwilioCallControlOptions;
  readonly #stream: StreamCallControl;
  #phase: TwilioPhase = 'stream';
  #conferenceSid: string | undefined;
  #agent: { agentId: string; callSid: string | undefined } | undefined;
  #held = false;
  /** What the conference's callbacks said about the caller's leg: gone from it, or the conference over. */
  #callerLeftConference = false;
  #conferenceOver = false;
  /** The conference recording (RE…), once its in-progress callback named it. */
  #recordingSid: string | undefined;
  #recordingPaused = false;
  readonly #lines = new Map<string, AnnouncementLine>();

  constructor(options: TwilioCallControlOptions) {
    this.#o = options;
    this.callSid = options.callSid;
    this.#phase = options.phase ?? 'stream';
    this.#stream = new StreamCallControl(options.voice, 'twilio');
  }

  get voice(): VoiceCall {
    return this.#o.voice;
  }
  get phase(): TwilioPhase {
    return this.#phase;
  }
  get sessionId(): string | undefined {
    return this.#o.voice.sessionId;
  }
  get callerId(): string {
    return this.#o.voice.callerId;
  }
  get ended(): boolean {
    return this.#o.voice.ended;
  }
  get busy(): boolean {
    return this.#phase === 'stream' ? this.#stream.busy : false;
  }
  /** The agent's leg (for the fork's outbound track): set while an agent is connected and the caller not held. */
  get agentListening(): boolean {
    return this.#agent !== undefined && !this.#held;
  }
  get agentCallSid(): string | undefined {
    return this.#agent?.callSid;
  }

  /** The announcement Twilio fetches from /twilio/say (each is fetched once). */
  takeLine(id: string): AnnouncementLine | undefined {
    const line = this.#lines.get(id);
    this.#lines.delete(id);
    return line;
  }

  async announce(text: string, opts: { expectDigits?: boolean } = {}): Promise<void> {
    // The agent is on a dialled call and speaks for themselves: there is nobody to announce to.
    if (this.#phase === 'dialled') return;
    if (this.#phase === 'stream') return this.#stream.announce(text);
    if (opts.expectDigits) {
      await this.#rest('keypad question', () => this.#o.client.calls(this.callSid).update({ twiml: keypadQuestion(this.#o.urls, this.#session(), text) }));
      return;
    }
    await this.#announceToCaller({ text });
  }

  continueHoldAudio(): void {
    // In the conference Twilio loops our hold music from the waitUrl by itself.
    if (this.#phase === 'stream') this.#stream.continueHoldAudio();
  }

  stopHoldAudio(): void {
    if (this.#phase === 'stream') this.#stream.stopHoldAudio();
  }

  async waitForPerson(handoverLine?: string | Promise<string>): Promise<void> {
    if (this.#phase !== 'stream' || this.ended) return;
    // Set before the request: the media stream's stop, which the update causes, must not end the call.
    this.#phase = 'moving';
    // The move cuts the stream at once, so the AI's handover sentence is replayed, in our voice, by <Play>.
    const line = handoverLine ? this.#lineUrl({ audio: handoverLine }, 'line.wav') : undefined;
    const moved = await this.#rest('move to conference', () =>
      this.#o.client.calls(this.callSid).update({ twiml: moveToConference(this.#o.urls, this.#session(), line) }),
    );
    if (moved) {
      this.#phase = 'conference';
      this.#o.voice.releaseStream();
      return;
    }
    this.#phase = 'stream';
    // Never silence: say why, and let the hold line (with its callback offer) carry on over the stream.
    await this.#stream.announce(APOLOGY).catch(() => undefined);
  }

  async bridgeAgent(agentId: string): Promise<void> {
    if (this.#phase === 'stream') await this.waitForPerson();
    if (this.#phase !== 'conference') return;
    const sessionId = this.#session();
    const participant = await this.#rest('add the agent', () =>
      this.#o.client.conferences(this.#conference()).participants.create({
        from: this.#o.phoneNumber,
        to: `client:${agentId}`,
        label: 'agent',
        startConferenceOnEnter: true,
        endConferenceOnExit: false,
        beep: 'false',
        statusCallback: `${this.#o.urls.publicUrl}/twilio/status/call?sessionId=${encodeURIComponent(sessionId)}`,
        statusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'],
      }),
    );
    if (!participant) {
      await this.#announceToCaller({ text: APOLOGY });
      return;
    }
    this.#agent = { agentId, callSid: participant.callSid };
    this.#o.onAgentLeg?.(participant.callSid);
    if (this.#held) await this.hold(false);
  }

  relayAgentAudio(): void {
    // The agent's voice reaches the caller over WebRTC and the conference, not through us.
  }

  async mute(muted: boolean): Promise<void> {
    const agentCallSid = this.#agent?.callSid;
    if (this.#phase !== 'conference' || !agentCallSid) return;
    await this.#rest('mute the agent', () => this.#o.client.conferences(this.#conference()).participants(agentCallSid).update({ muted }));
  }

  async hold(held: boolean): Promise<void> {
    this.#held = held;
    // A <Dial> has no hold of its own; the softphone can mute (docs/twilio.md).
    if (this.#phase === 'dialled') return;
    if (this.#phase !== 'conference') return this.#stream.hold(held);
    const q = `sessionId=${encodeURIComponent(this.#session())}`;
    await this.#rest(held ? 'hold the caller' : 'resume the caller', () =>
      this.#o.client
        .conferences(this.#conference())
        .participants(this.callSid)
        .update(held ? { hold: true, holdUrl: `${this.#o.urls.publicUrl}/twilio/wait?${q}`, holdMethod: 'POST' } : { hold: false }),
    );
  }

  async transfer(): Promise<void> {
    const agentCallSid = this.#agent?.callSid;
    this.#agent = undefined;
    if (this.#phase !== 'conference') return this.#stream.transfer();
    // The caller hears hold music (not an empty conference) until the next agent joins.
    await this.hold(true);
    if (agentCallSid) await this.#rest('release the agent', () => this.#o.client.conferences(this.#conference()).participants(agentCallSid).remove());
  }

  async sendDigits(digits: string): Promise<void> {
    if (this.#phase === 'stream') return this.#stream.sendDigits(digits);
    // On a dialled call the softphone sends the tones itself (Call.sendDigits).
    if (this.#phase === 'dialled') return;
    // A connected agent's softphone sends the tones over WebRTC itself (Call.sendDigits).
    if (this.#agent?.callSid) return;
    await this.#announceToCaller({ digits });
  }

  async pauseRecording(paused: boolean): Promise<void> {
    this.#recordingPaused = paused;
    await this.#applyRecordingPause();
  }

  async #applyRecordingPause(): Promise<void> {
    // Before the conference Twilio records nothing; the stream part is recorded by the desk only.
    if (this.#phase !== 'conference' && this.#phase !== 'dialled') return;
    const paused = this.#recordingPaused;
    const recordingSid = this.#recordingSid ?? 'Twilio.CURRENT';
    // Paused as silence, so the recording keeps the call's timeline (the desk records silence too).
    const change = paused ? ({ status: 'paused', pauseBehavior: 'silence' } as const) : ({ status: 'in-progress' } as const);
    await this.#rest(paused ? 'pause the recording' : 'resume the recording', () =>
      (this.#phase === 'dialled'
        ? this.#o.client.calls(this.callSid).recordings(recordingSid).update(change)
        : this.#o.client.conferences(this.#conference()).recordings(recordingSid).update(change)
      ).then(() => true),
    );
  }

  /** Twilio's recording callback named the call's recording (conference, or the outbound <Dial>'s); a pause asked for before it applies now. */
  async recordingStarted(recordingSid: string): Promise<void> {
    this.#recordingSid = recordingSid;
    if (this.#recordingPaused) await this.#applyRecordingPause();
  }

  async hangUp(by: Exclude<EndedBy, 'caller'>, reason: string, farewell?: string): Promise<void> {
    if (this.#phase === 'stream') return this.#stream.hangUp(by, reason, farewell);
    await this.#rest('hang up', () => this.#o.client.calls(this.callSid).update({ twiml: farewellTwiml(farewell) }));
    if (by === 'agent') await this.#o.voice.hangUpByAgent(reason);
    else await this.#o.voice.hangUpBySystem(reason);
  }

  // ---- what Twilio tells us -------------------------------------------------------------

  /** The caller's call ended (status callback, or they left the conference). */
  async callerGone(reason: string): Promise<void> {
    await this.#o.voice.hangUpByCaller(reason);
  }

  conferenceStarted(conferenceSid: string): void {
    this.#conferenceSid = conferenceSid;
    this.#conferenceOver = false;
  }

  /** A conference callback: who joined or left. A keypad question also takes the caller out for a moment. */
  conferenceEvent(event: string, callSid: string | undefined): void {
    if (event === 'conference-end') this.#conferenceOver = true;
    if (callSid !== this.callSid) return;
    if (event === 'participant-join') this.#callerLeftConference = false;
    if (event === 'participant-leave') this.#callerLeftConference = true;
  }

  /**
   * The agent's leg ended without the desk asking (the agent's app closed, the network
   * dropped, the softphone never answered). True when the caller is still waiting in the
   * conference and must go back to the queue; false for a leg we no longer count as the
   * agent's, or when the caller is leaving too (their own callback ends the call).
   */
  agentLegEnded(callSid: string): boolean {
    if (!callSid || this.#agent?.callSid !== callSid) return false;
    this.#agent = { agentId: this.#agent.agentId, callSid: undefined };
    return this.#phase === 'conference' && !this.ended && !this.#callerLeftConference && !this.#conferenceOver;
  }

  // ---- plumbing ---------------------------------------------------------------------------

  /** Keeps a line for Twilio to fetch once, and returns its URL. */
  #lineUrl(line: AnnouncementLine, route: 'say' | 'line.wav'): string {
    const id = randomUUID();
    this.#lines.set(id, line);
    return `${this.#o.urls.publicUrl}/twilio/${route}?sessionId=${encodeURIComponent(this.#session())}&line=${id}`;
  }

  async #announceToCaller(line: AnnouncementLine): Promise<void> {
    const url = this.#lineUrl(line, 'say');
    await this.#rest('announce', () =>
      this.#o.client.conferences(this.#conference()).participants(this.callSid).update({ announceUrl: url, announceMethod: 'POST' }),
    );
  }

  #session(): string {
    const sessionId = this.#o.voice.sessionId;
    if (!sessionId) throw new Error('the call has no session yet');
    return sessionId;
  }

  /** The conference resource: its SID once Twilio told us, else its name (the session id). */
  #conference(): string {
    return this.#conferenceSid ?? this.#session();
  }

  /** One REST request: failures become a session event and a log line, never an exception for the caller's path. */
  async #rest<T>(what: string, request: () => Promise<T>): Promise<T | undefined> {
    const sentAt = performance.now();
    this.#o.onRestRequest?.(what, sentAt);
    try {
      return await request();
    } catch (err) {
      const message = `${what} failed: ${describeRestError(err)}`;
      this.#o.log.error({ sessionId: this.sessionId, callSid: this.callSid }, message);
      if (this.sessionId) {
        await this.#o.store.appendEvent(this.sessionId, 'media.error', { stage: 'carrier', message }).catch(() => undefined);
      }
      return undefined;
    }
  }
}
