// Controls for the call in progress: mute, hold/resume, pause/resume the recording (while a
// caller reads out card details), transfer, keypad, hang up, and the
// state of the audio leg (live, no microphone, dropped). Shortcuts Alt+M / Alt+O / Alt+H.
import { useState } from 'react';
import { SHORTCUTS, useShortcuts } from '../hooks/use-shortcuts';
import type { CallState } from '../state/call-reducer';
import { desk, useAudioStore } from '../state/desk';
import { useSupervisionStore } from '../supervision/supervision-store';
import { ConsultBar } from './consult-bar';
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
  const handRaised = useSupervisionStore((s) => s.handsRaised[sessionId] ?? false);
  const consulting = call.consult !== null;
  // While a consultation runs, hold, transfer and hang-up wait for it to be completed or cancelled.
  const live = call.phase === 'talking' && !consulting;
  const guest = call.consult?.role === 'to';

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
      {call.consult ? <ConsultBar sessionId={sessionId} consult={call.consult} /> : null}
      <div className="controls-row">
        <button
          type="button"
          className={`btn${muted ? ' btn-on' : ''}`}
          aria-pressed={muted}
          onClick={() => void desk.mute(sessionId, !muted)}
          aria-keyshortcuts={SHORTCUTS.mute.aria}
          title={`${muted ? 'Unmute' : 'Mute'} (${SHORTCUTS.mute.label})`}
          disabled={call.phase !== 'talking' || guest}
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
      {call.translation ? <TranslationControls call={call} live={live} /> : null}
      {panel === 'transfer' && live ? <TransferForm call={call} onDone={() => setPanel('none')} /> : null}
      {panel === 'keypad' ? (
        <DtmfKeypad label="Send tones to the caller" onDigit={(d) => void desk.dtmf(sessionId, d)} />
      ) : null}
    </section>
  );
}

/** Translation on this call: which languages, by whom, the spoken-replies switch, or why it is off. */
function TranslationControls({ call, live }: { call: CallState; live: boolean }) {
  const t = call.translation!;
  if (!t.on) {
    return (
      <p className="muted controls-status" role="note">
        The caller speaks {t.callerLanguage}; you work in {t.agentLanguage}. {t.why}
      </p>
    );
  }
  return (
    <div className="controls-row">
      <p className="muted controls-status">
        Translating {t.callerLanguage} → {t.agentLanguage} ({t.provider})
      </p>
      <label>
        <input
          type="checkbox"
          checked={t.speakReplies === true}
          disabled={!live}
          onChange={(e) => void desk.speakTranslated(call.sessionId, e.currentTarget.checked)}
        />{' '}
        Speak my replies in the caller&apos;s language
      </label>
    </div>
  );
}
