// The workspace for the call on screen: brief and customer on the left, the live transcript
// in the middle, suggestions and controls (or the wrap-up form) on the right. Starts the
// audio leg when the call is a voice call.
import { useEffect } from 'react';
import type { CallState } from '../state/call-reducer';
import { startAudio, stopAudio } from '../state/desk';
import { CallControls } from './call-controls';
import { CallTimersBar } from './call-timers';
import { CallerVerification } from './caller-verification';
import { CustomerContextCard } from './customer-context-card';
import { HandoffBriefPanel } from './handoff-brief-panel';
import { QueueFigures } from './queue-figures';
import { SessionTranscript } from './session-transcript';
import { SuggestionPanel } from './suggestion-panel';
import { WrapUpForm } from './wrap-up-form';

export function CallWorkspace({ call }: { call: CallState }) {
  const { sessionId, channel, phase, mediaUrl } = call;
  useEffect(() => {
    if (channel !== 'voice' || phase !== 'talking') return;
    // In a cluster the audio joins the backend holding the call (call.assigned names it).
    startAudio(sessionId, mediaUrl ?? undefined);
    return () => stopAudio(sessionId);
  }, [sessionId, channel, phase, mediaUrl]);

  const callerName = call.brief?.caller.name ?? call.brief?.caller.phone ?? 'the caller';
  return (
    <div className="workspace">
      <div className="workspace-head">
        <CallTimersBar call={call} />
        <QueueFigures />
      </div>
      <div className="workspace-left">
        {call.brief ? (
          <HandoffBriefPanel brief={call.brief} />
        ) : (
          <section className="card muted">Waiting for the handoff brief…</section>
        )}
        {call.brief?.caller.customerId ? (
          <CustomerContextCard customerId={call.brief.caller.customerId} />
        ) : call.brief && phase === 'talking' && call.consult?.role !== 'to' ? (
          <CallerVerification sessionId={sessionId} brief={call.brief} />
        ) : null}
      </div>
      <section className="card workspace-transcript" aria-labelledby="transcript-title">
        <h2 id="transcript-title">Transcript</h2>
        <SessionTranscript sessionId={sessionId} label={`Transcript of the call with ${callerName}`} />
      </section>
      <div className="workspace-right">
        {phase === 'wrap_up' ? <WrapUpForm call={call} /> : <CallControls call={call} />}
        <SuggestionPanel sessionId={sessionId} />
      </div>
    </div>
  );
}
