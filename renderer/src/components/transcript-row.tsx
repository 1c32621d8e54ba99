// One transcript line: who spoke and what was said; partial (not yet final) text greyed.
// Memoised because the list re-renders on every new line and old rows never change.
import { memo } from 'react';
import type { LineSpeaker } from '../state/transcript-reducer';

const speakerLabels: Record<LineSpeaker, string> = { ai: 'AI', caller: 'Caller', agent: 'You', system: '' };

export interface TranscriptRowProps {
  speaker: LineSpeaker;
  text: string;
  partial?: boolean;
}

export const TranscriptRow = memo(function TranscriptRow({
  speaker,
  text,
  partial = false,
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
      </span>
    </p>
  );
});
