// Controls for the call in progress: mute, hold/resume, pause/resume the recording (while a
// caller reads out card details), transfer, keypad, hang up, and the
// state of the audio leg (live, no microphone, dropped). Shortcuts Alt+M / Alt+O / Alt+H.
import { useState } from 'react';
import { SHORTCUTS, useShortcuts } from '../hooks/use-shortcuts';
import type { CallState } from '../state/call-reducer';
import { desk, useAudioStore } from '../state/desk';
import { useSupervisionStore } from '../supervision/supervision-store';
import { DtmfKeypad } from './dtmf-keypad';
import { TransferForm } from './transfer-form';

const audioWords = {
  starting: 'Connecting audio…',
  live: 'Audio connected',
  no_microphone: 'No microphone',
  ended: 'Audio ended',
  failed: 'Audio problem',
} as const;

export function CallControls({ call }: { call: CallState }) {
  const [panel, setPanel] = useState<'none' | 'transfer' | 'keypad'>('none');
  const leg = useAudioStore((s) => s.legs[call.sessionId]);
  const { sessionId, muted, held, recordingPaused } = call;
  const live = call.phase === 'talking';
  const handRaised = useSupervisionStore((s) => s.handsRaised[sessionId] ?? false);

  useShortcuts(
    live
      ? {
          mute: () => void desk.mute(sessionId, !muted),
          hold: () => void desk.hold(sessionId, !held),
          hangUp: () => void desk.hangUp(sessionId),
          raiseHand: () => void desk.raiseHand(sessionId, !handRaised),
        }
      : {},
  );

  return (
    <section className="card controls" aria-label="Call controls">
      <div className="controls-row">
        <button
          type="button"
          className={`btn${muted ? ' btn-on' : ''}`}
          aria-pressed={muted}
          onClick={() => void desk.mute(sessionId, !muted)}
          aria-keyshortcuts={SHORTCUTS.mute.aria}
          title={`${muted ? 'Unmute' : 'Mute'} (${SHORTCUTS.mute.label})`}
          disabled={!live}
        >
          {muted ? 'Unmute' : 'Mute'}
        </button>
        <button
          type="button"
          className={`btn${held ? ' btn-on' : ''}`}
          aria-pressed={held}
          onClick={() => void desk.hold(sessionId, !held)}
          aria-keyshortcuts={SHORTCUTS.hold.aria}
          title={`${held ? 'Resume' : 'Hold'} (${SHORTCUTS.hold.label})`}
          disabled={!live}
        >
          {held ? 'Resume' : 'Hold'}
        </button>
        <button
          type="button"
          className={`btn${recordingPaused ? ' btn-on' : ''}`}
          aria-pressed={recordingPaused}
          onClick={() => void desk.pauseRecording(sessionId, !recordingPaused)}
          title={recordingPaused ? 'Resume the call recording' : 'Pause the call recording while the caller gives payment details'}
          disabled={!live || call.channel === 'text'}
        >
          {recordingPaused ? 'Resume recording' : 'Pause recording'}
        </button>
        <button
          type="button"
          className="btn"
          aria-expanded={panel === 'transfer'}
          onClick={() => setPanel(panel === 'transfer' ? 'none' : 'transfer')}
          disabled={!live}
        >
          Transfer…
        </button>
        <button
          type="button"
          className="btn"
          aria-expanded={panel === 'keypad'}
          onClick={() => setPanel(panel === 'keypad' ? 'none' : 'keypad')}
          disabled={!live}
        >
          Keypad
        </button>
        <button
          type="button"
          className={`btn${handRaised ? ' btn-on' : ''}`}
          aria-pressed={handRaised}
          onClick={() => void desk.raiseHand(sessionId, !handRaised)}
          aria-keyshortcuts={SHORTCUTS.raiseHand.aria}
          title={`${handRaised ? 'Lower your hand' : 'Raise your hand: a team lead is alerted to help'} (${SHORTCUTS.raiseHand.label})`}
          disabled={!live}
        >
          {handRaised ? 'Lower hand' : 'Raise hand'}
        </button>
        <button
          type="button"
          className="btn btn-decline"
          onClick={() => void desk.hangUp(sessionId)}
          aria-keyshortcuts={SHORTCUTS.hangUp.aria}
          title={`Hang up (${SHORTCUTS.hangUp.label})`}
          disabled={!live}
        >
          Hang up
        </button>
      </div>
      <p className="muted controls-status" role="status">
        {held ? 'On hold. ' : ''}
        {muted ? 'Muted. ' : ''}
        {recordingPaused ? 'Recording paused. ' : ''}
        {handRaised ? 'Hand raised: a lead has been alerted. ' : ''}
        {leg ? audioWords[leg.state] : call.channel === 'text' ? 'Text conversation' : ''}
        {leg?.detail ? ` — ${leg.detail}` : ''}
      </p>
      {panel === 'transfer' ? <TransferForm sessionId={sessionId} onDone={() => setPanel('none')} /> : null}
      {panel === 'keypad' ? (
        <DtmfKeypad label="Send tones to the caller" onDigit={(d) => void desk.dtmf(sessionId, d)} />
      ) : null}
    </section>
  );
}
