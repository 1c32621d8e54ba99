// The call recording: fetched with the bearer token (an <audio src> to the API could not
// send it) into an object URL, played by the browser's own accessible controls. Reports the
// playhead to the transcript and accepts seeks from it. Stereo: caller left, AI/agent right.
import { forwardRef, useEffect, useImperativeHandle, useRef, useState } from 'react';
import { ApiRequestError } from '../api/http-client';
import { reviews } from '../dashboards/analytics-client';

export interface RecordingHandle {
  seek(ms: number): void;
}

export const RecordingPlayer = forwardRef<RecordingHandle, { sessionId: string; onTime: (ms: number) => void }>(
  function RecordingPlayer({ sessionId, onTime }, ref) {
    const audioRef = useRef<HTMLAudioElement>(null);
    const [url, setUrl] = useState<string | null>(null);
    const [state, setState] = useState<'loading' | 'ready' | 'none' | 'error'>('loading');
    const [message, setMessage] = useState('');

    useImperativeHandle(ref, () => ({
      seek(ms: number) {
        const audio = audioRef.current;
        if (!audio) return;
        audio.currentTime = ms / 1000;
        onTime(ms);
        if (audio.paused) void audio.play().catch(() => undefined);
      },
    }));

    useEffect(() => {
      let objectUrl: string | null = null;
      let cancelled = false;
      setState('loading');
      reviews
        .recording(sessionId)
        .then((blob) => {
          if (cancelled) return;
          objectUrl = URL.createObjectURL(blob);
          setUrl(objectUrl);
          setState('ready');
        })
        .catch((err: Error) => {
          if (cancelled) return;
          const status = err instanceof ApiRequestError ? err.status : 0;
          setState(status === 404 ? 'none' : 'error');
          setMessage(err.message);
        });
      return () => {
        cancelled = true;
        if (objectUrl) URL.revokeObjectURL(objectUrl);
      };
    }, [sessionId]);

    return (
      <section className="card recording" aria-labelledby="recording-title">
        <h2 id="recording-title">Recording</h2>
        {state === 'loading' ? <p className="muted">Loading the recording…</p> : null}
        {state === 'none' ? <p className="muted">{message || 'This session has no recording.'}</p> : null}
        {state === 'error' ? (
          <p className="form-error" role="alert">
            {message}
          </p>
        ) : null}
        {url ? (
          <>
            <audio
              ref={audioRef}
              src={url}
              controls
              preload="auto"
              className="recording-audio"
              aria-label="Call recording"
              onTimeUpdate={(e) => onTime(e.currentTarget.currentTime * 1000)}
              onSeeked={(e) => onTime(e.currentTarget.currentTime * 1000)}
            />
            <p className="muted small">Left channel: caller · right channel: AI and agent. Click a transcript line to jump to it.</p>
          </>
        ) : null}
      </section>
    );
  },
);
