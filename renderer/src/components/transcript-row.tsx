// One transcript line: who spoke and what was said; partial (not yet final) text greyed.
// Memoised because the list re-renders on every new line and old rows never change.
import { memo } from 'react';
import type { LineSpeaker } from '../state/transcript-reducer';

const speakerLabels: Record<LineSpeaker, string> = { ai: 'AI', caller: 'Caller', agent: 'You', system: '' };

export interface TranscriptRowProps {
  speaker: LineSpeaker;
  text: string;
  partial?: boolean;
  /** The line in the agent's language, under the original. */
  translation?: { text: string; to: string } | undefined;
  /** The agent's line as the caller heard it: translated and spoken in their language. */
  spokenAs?: { text: string; to: string } | undefined;
}

export const TranscriptRow = memo(function TranscriptRow({
  speaker,
  text,
  partial = false,
  translation,
  spokenAs,
}: TranscriptRowProps) {
  if (speaker === 'system') {
    return <p className="tx-row tx-system">{text}</p>;
  }
  return (
    <p className={`tx-row tx-${speaker}${partial ? ' tx-partial' : ''}`}>
      <span className="tx-speaker">{speakerLabels[speaker]}</span>
      <span className="tx-text">
        {text}
        {partial ? <span className="visually-hidden"> (still speaking)</span> : null}
        {translation ? (
          <span className="tx-translation" lang={translation.to}>
            <span className="visually-hidden">Translated: </span>
            {translation.text}
          </span>
        ) : null}
        {spokenAs ? (
          <span className="tx-translation tx-spoken-as" lang={spokenAs.to}>
            Said to the caller in {spokenAs.to}: {spokenAs.text}
          </span>
        ) : null}
      </span>
    </p>
  );
});
