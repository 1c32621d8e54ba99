// A lead's monitoring of one call at a time: monitor.start on the agent channel (the server
// checks access and logs the event), then the lead's own audio leg on /agent/monitor, which
// plays the call's mix and sends the lead's microphone (heard only in whisper or barge).
// Mode changes go over the channel; stopping closes the leg, and the server ends it too
// when the call ends. In a cluster the leg connects to the backend holding the call, named
// by the server's monitor.state (`mediaUrl`), like the agent's own audio.
import type { AgentClientMessage } from '../../../contracts/agent-channel';
import type { MonitorMode } from '../../../contracts/supervision';
import { AgentAudioLeg } from '../audio/agent-audio';
import { newMonitoring, useSupervisionStore, whenMonitoring } from './supervision-store';

export interface MonitorDeps {
  baseUrl: () => string;
  token: () => string | null;
  devices: () => { microphoneId: string | null; speakerId: string | null };
  /** Sends over the agent channel; resolves true on ack (a failure is shown by the caller of start). */
  request: (message: AgentClientMessage) => Promise<{ ok: true } | { ok: false; message: string }>;
}

let leg: AgentAudioLeg | null = null;
let legSession: string | null = null;

function closeLeg(): void {
  const old = leg;
  leg = null;
  legSession = null;
  old?.stop();
}

export function createMonitor(deps: MonitorDeps) {
  const store = useSupervisionStore;

  async function start(sessionId: string, mode: MonitorMode): Promise<boolean> {
    const current = store.getState().monitoring;
    if (current?.sessionId === sessionId && current.mode) return setMode(mode);
    if (current?.mode) await stop();
    store.getState().setMonitoring(newMonitoring(sessionId));
    const result = await deps.request({ type: 'monitor.start', sessionId, mode });
    if (!result.ok) {
      store.getState().setMonitoring(newMonitoring(sessionId, result.message));
      return false;
    }
    // The transcript so far, then live (events of this session go to the monitor, not the desk).
    void deps.request({ type: 'session.subscribe', sessionId, afterSeq: 0 });
    const token = deps.token();
    if (!token) return false;
    const started = await whenMonitoring(sessionId);
    // Stopped, or another call picked, while the server answered.
    if (store.getState().monitoring?.sessionId !== sessionId) return false;
    const { microphoneId, speakerId } = deps.devices();
    closeLeg();
    legSession = sessionId;
    const mine = new AgentAudioLeg({
      baseUrl: started?.mediaUrl ?? deps.baseUrl(),
      token,
      sessionId,
      path: '/agent/monitor',
      microphoneId,
      speakerId,
      onState: (state, detail) => {
        if (leg !== mine) return;
        store.getState().patchMonitoring({ leg: state, ...(detail ? { note: detail } : {}) });
      },
    });
    leg = mine;
    store.getState().patchMonitoring({ mode });
    await mine.start();
    return true;
  }

  async function setMode(mode: MonitorMode): Promise<boolean> {
    const current = store.getState().monitoring;
    if (!current?.mode) return false;
    const result = await deps.request({ type: 'monitor.mode', sessionId: current.sessionId, mode });
    if (!result.ok) {
      store.getState().patchMonitoring({ note: result.message });
      return false;
    }
    store.getState().patchMonitoring({ mode, note: null });
    return true;
  }

  async function stop(): Promise<void> {
    const current = store.getState().monitoring;
    closeLeg();
    if (!current) return;
    if (current.mode) await deps.request({ type: 'monitor.stop', sessionId: current.sessionId });
    store.getState().setMonitoring(null);
  }

  return { start, setMode, stop };
}

/** The server ended the monitoring (call ended, access ended): release the leg. */
export function monitorEnded(sessionId: string): void {
  if (legSession === sessionId) closeLeg();
}

/** Signing out: no leg survives. */
export function releaseMonitor(): void {
  closeLeg();
  useSupervisionStore.getState().reset();
}
