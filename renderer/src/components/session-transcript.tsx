// The transcript of one call, read from the calls store. Selecting only this session's
// transcript object means other calls' updates and call-state changes do not re-render it.
import { useCallsStore } from '../state/calls-store';
import { emptyTranscript } from '../state/transcript-reducer';
import { Transcript } from './transcript';

export function SessionTranscript({ sessionId, label }: { sessionId: string; label: string }) {
  const transcript = useCallsStore((s) => s.calls[sessionId]?.transcript ?? emptyTranscript);
  return <Transcript transcript={transcript} label={label} />;
}
