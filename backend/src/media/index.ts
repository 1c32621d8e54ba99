// Public surface of the media pipeline: codecs, resampling, VAD, turn-taking and playout pacing.
// No provider logic lives here; telephony feeds it frames and speech consumes its PCM.
export { decodeMulaw, encodeMulaw, linearToMulaw, mulawToLinear } from './mulaw';
export { decodeL16, encodeL16, createL16Decoder } from './l16';
export type { L16Decoder } from './l16';
export { createResampler } from './resampler';
export type { Resampler } from './resampler';
export {
  createVoiceActivityDetector,
  loadVoiceActivityModule,
  DEFAULT_VAD_MODE,
  DEFAULT_VAD_FRAME_MS,
} from './vad';
export type { VadFrame, VadMode, VadFrameMs, VadSampleRate, VoiceActivityDetector, VoiceActivityDetectorOptions } from './vad';
export {
  createTurnDetector,
  DEFAULT_END_OF_TURN_SILENCE_MS,
  DEFAULT_MIN_SPEECH_MS,
  DEFAULT_BARGE_IN_MS,
  DEFAULT_MAX_SPEECH_GAP_MS,
} from './turn-detector';
export type { TurnDetector, TurnDetectorOptions, TurnDetectorListeners, TurnEvent, EndOfTurn } from './turn-detector';
export { createOutboundPacer, systemPacerClock, DEFAULT_PACER_FRAME_MS, DEFAULT_PACER_LEAD_MS } from './outbound-pacer';
export type { OutboundPacer, OutboundPacerOptions, PacerClock, PacerEvents, ClearReport, SegmentProgress } from './outbound-pacer';
