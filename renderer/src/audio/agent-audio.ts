// The agent's audio leg of a voice call: WebSocket /agent/media in the Twilio Media Streams
// framing (16 kHz L16), microphone captured and the caller played by the backend's own
// AudioWorklet (/caller-audio-worklet.js, loaded from the server's origin), marks echoed as
// audio plays so the server knows what the agent heard. Mute sends silence rather than
// stopping frames, so the far end's timing never stalls.
import { createAudioOutput, type AudioOutput } from './audio-output';
import { base64L16ToFloat32, l16ToBase64 } from './pcm';

export type AudioLegState = 'starting' | 'live' | 'no_microphone' | 'ended' | 'failed';

export interface AgentAudioOptions {
  baseUrl: string;
  token: string;
  sessionId: string;
  onState: (state: AudioLegState, detail?: string) => void;
  /** The chosen microphone (MediaDeviceInfo.deviceId); null/absent = system default. */
  microphoneId?: string | null;
  /** The chosen output device for the caller's voice; null/absent = system default. */
  speakerId?: string | null;
  /** The server's audio endpoint: the agent's leg by default, a lead's monitor leg at /agent/monitor. */
  path?: '/agent/media' | '/agent/monitor';
}

// No automatic gain: after a pause it ramps up and clips the next words, which the recognizer mishears.
const MIC_PROCESSING = { channelCount: 1, echoCancellation: true, noiseSuppression: true, autoGainControl: false };

/** The chosen microphone, or the default one when it is gone (unplugged, renamed id). */
async function openMicrophone(deviceId: string | null | undefined): Promise<MediaStream> {
  if (deviceId) {
    try {
      return await navigator.mediaDevices.getUserMedia({ audio: { ...MIC_PROCESSING, deviceId: { exact: deviceId } } });
    } catch (err) {
      const name = (err as Error).name;
      // Permission refused is not a device problem: trying the default would only ask again.
      if (name === 'NotAllowedError' || name === 'SecurityError') throw err;
    }
  }
  return navigator.mediaDevices.getUserMedia({ audio: MIC_PROCESSING });
}

export class AgentAudioLeg {
  #o: AgentAudioOptions;
  #ctx: AudioContext | null = null;
  #node: AudioWorkletNode | null = null;
  #mic: MediaStream | null = null;
  #micSource: MediaStreamAudioSourceNode | null = null;
  #out: AudioOutput | null = null;
  #ws: WebSocket | null = null;
  #muted = false;
  #held = false;
  #frameSeq = 0;
  #chunk = 0;
  #streamSid = `MZ${crypto.randomUUID().replaceAll('-', '')}`;
  #stopped = false;

  constructor(options: AgentAudioOptions) {
    this.#o = options;
  }

  async start(): Promise<void> {
    this.#o.onState('starting');
    try {
      this.#ctx = new AudioContext({ sampleRate: 16000 });
      await this.#ctx.audioWorklet.addModule(new URL('/caller-audio-worklet.js', this.#o.baseUrl).toString());
    } catch (err) {
      this.#o.onState(
        'failed',
        `Audio could not start (${(err as Error).message}). Reload the app and try again.`,
      );
      return;
    }
    if (this.#stopped) return;
    const node = new AudioWorkletNode(this.#ctx, 'caller-audio', {
      numberOfInputs: 1,
      numberOfOutputs: 1,
      outputChannelCount: [1],
    });
    this.#node = node;
    this.#out = createAudioOutput(this.#ctx, this.#o.speakerId ?? null);
    node.connect(this.#out.node);
    let micError: string | null = null;
    try {
      this.#mic = await openMicrophone(this.#o.microphoneId);
      if (this.#stopped) return this.#releaseMic();
      this.#micSource = this.#ctx.createMediaStreamSource(this.#mic);
      this.#micSource.connect(node);
    } catch (err) {
      // The agent can still hear the caller and type; say how to fix the microphone.
      micError = `Microphone unavailable (${(err as Error).message}). Allow microphone access for Switchboard, then rejoin the call.`;
    }
    await this.#ctx.resume().catch(() => undefined);
    this.#openSocket(micError);
  }

  setMuted(muted: boolean): void {
    this.#muted = muted;
  }

  setHeld(held: boolean): void {
    this.#held = held;
  }

  /** Moves the caller's voice to another output device mid-call. */
  setSpeaker(deviceId: string | null): Promise<boolean> {
    this.#o.speakerId = deviceId;
    return this.#out ? this.#out.setSink(deviceId) : Promise.resolve(true);
  }

  /** Switches to another microphone mid-call; the old one keeps working if the new one fails. */
  async setMicrophone(deviceId: string | null): Promise<void> {
    if (deviceId === (this.#o.microphoneId ?? null)) return;
    this.#o.microphoneId = deviceId;
    const ctx = this.#ctx;
    const node = this.#node;
    if (!ctx || !node || this.#stopped) return;
    let next: MediaStream;
    try {
      next = await openMicrophone(deviceId);
    } catch {
      return;
    }
    if (this.#stopped) {
      next.getTracks().forEach((t) => t.stop());
      return;
    }
    this.#releaseMic();
    this.#mic = next;
    this.#micSource = ctx.createMediaStreamSource(next);
    this.#micSource.connect(node);
  }

  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    if (this.#ws && this.#ws.readyState === WebSocket.OPEN) {
      this.#send({
        event: 'stop',
        streamSid: this.#streamSid,
        stop: { accountSid: 'local', callSid: this.#streamSid },
      });
      this.#ws.close(1000, 'agent left the call');
    }
    this.#ws = null;
    this.#releaseMic();
    this.#node?.disconnect();
    this.#out?.close();
    void this.#ctx?.close().catch(() => undefined);
    this.#o.onState('ended');
  }

  #openSocket(micError: string | null): void {
    const url = new URL(this.#o.path ?? '/agent/media', this.#o.baseUrl);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('token', this.#o.token);
    url.searchParams.set('sessionId', this.#o.sessionId);
    const ws = new WebSocket(url);
    this.#ws = ws;
    const node = this.#node!;
    node.port.onmessage = (
      e: MessageEvent<{ type: 'capture'; pcm: Int16Array } | { type: 'mark'; name: string }>,
    ) => {
      const m = e.data;
      if (m.type === 'capture') {
        // Muted or on hold: keep the 20 ms cadence with silence so the server's clock holds.
        const pcm = this.#muted || this.#held ? new Int16Array(m.pcm.length) : m.pcm;
        this.#send({
          event: 'media',
          streamSid: this.#streamSid,
          media: {
            track: 'inbound',
            chunk: String(++this.#chunk),
            timestamp: String(this.#chunk * 20),
            payload: l16ToBase64(pcm),
          },
        });
      } else if (m.type === 'mark') {
        this.#send({ event: 'mark', streamSid: this.#streamSid, mark: { name: m.name } });
      }
    };
    ws.onopen = () => {
      this.#send({ event: 'connected', protocol: 'Call', version: '1.0.0' });
      this.#send({
        event: 'start',
        streamSid: this.#streamSid,
        start: {
          streamSid: this.#streamSid,
          accountSid: 'local',
          callSid: `CA${crypto.randomUUID().replaceAll('-', '')}`,
          tracks: ['inbound'],
          // `from` because the shared start-frame schema requires it; the session id is what matters.
          customParameters: { sessionId: this.#o.sessionId, from: 'agent' },
          mediaFormat: { encoding: 'audio/x-l16', sampleRate: 16000, channels: 1 },
        },
      });
      this.#o.onState(micError ? 'no_microphone' : 'live', micError ?? undefined);
    };
    ws.onmessage = (e: MessageEvent<string>) => {
      let frame: { event?: string; media?: { payload: string }; mark?: { name: string } };
      try {
        frame = JSON.parse(e.data) as typeof frame;
      } catch {
        return;
      }
      if (frame.event === 'media' && frame.media) {
        if (this.#held) return;
        const pcm = base64L16ToFloat32(frame.media.payload);
        node.port.postMessage({ type: 'play', pcm }, [pcm.buffer]);
      } else if (frame.event === 'mark' && frame.mark) {
        node.port.postMessage({ type: 'mark', name: frame.mark.name });
      } else if (frame.event === 'clear') {
        node.port.postMessage({ type: 'clear' });
      }
    };
    ws.onclose = (e) => {
      if (this.#stopped) return;
      this.#o.onState(
        e.code === 1000 || e.code === 1005 ? 'ended' : 'failed',
        e.code === 1000 || e.code === 1005
          ? undefined
          : `Call audio dropped: ${e.reason || 'connection lost'} (code ${e.code}). The call continues in the transcript.`,
      );
      this.#releaseMic();
    };
  }

  #send(frame: Record<string, unknown>): void {
    if (this.#ws?.readyState === WebSocket.OPEN)
      this.#ws.send(JSON.stringify({ ...frame, sequenceNumber: String(++this.#frameSeq) }));
  }

  #releaseMic(): void {
    this.#micSource?.disconnect();
    this.#micSource = null;
    this.#mic?.getTracks().forEach((t) => t.stop());
    this.#mic = null;
  }
}
