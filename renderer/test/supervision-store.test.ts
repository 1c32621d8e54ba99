// The lead's supervision state: live calls replaced on each push, alerts newest first and
// bounded, the monitor's state followed only for the call being monitored, raised hands; and
// the agent's transcript telling them when a lead can be heard (a silent listen stays silent).
import { beforeEach, describe, expect, it } from 'vitest';
import type { AnySessionEvent } from '../../contracts/events';
import type { SupervisorAlert } from '../../contracts/supervision';
import { applyTranscriptEvent, emptyTranscript } from '../src/state/transcript-reducer';
import { isSupervisionMessage, MAX_ALERTS, newMonitoring, useSupervisionStore, whenMonitoring } from '../src/supervision/supervision-store';

const alert = (id: string): SupervisorAlert => ({ id, kind: 'raised_hand', sessionId: 's1', message: `alert ${id}`, at: '2026-01-01T00:00:00.000Z' });

describe('supervision store', () => {
  beforeEach(() => useSupervisionStore.getState().reset());

  it('recognises only supervision messages', () => {
    expect(isSupervisionMessage({ type: 'supervision.alert' })).toBe(true);
    expect(isSupervisionMessage({ type: 'monitor.state' })).toBe(true);
    expect(isSupervisionMessage({ type: 'wallboard' })).toBe(false);
    expect(isSupervisionMessage({ type: 'session.event' })).toBe(false);
  });

  it('keeps alerts newest first, once each, and at most MAX_ALERTS', () => {
    const { apply } = useSupervisionStore.getState();
    for (let i = 0; i < MAX_ALERTS + 5; i++) apply({ type: 'supervision.alert', alert: alert(`a${i}`) });
    apply({ type: 'supervision.alert', alert: alert(`a${MAX_ALERTS + 4}`) });
    const { alerts } = useSupervisionStore.getState();
    expect(alerts).toHaveLength(MAX_ALERTS);
    expect(alerts[0]!.id).toBe(`a${MAX_ALERTS + 4}`);
    useSupervisionStore.getState().dismissAlert(alerts[0]!.id);
    expect(useSupervisionStore.getState().alerts[0]!.id).toBe(`a${MAX_ALERTS + 3}`);
  });

  it('follows the monitored call only, and keeps why it ended', () => {
    const s = useSupervisionStore.getState();
    s.setMonitoring({ ...newMonitoring('s1'), mode: 'listen', leg: 'live' });
    s.apply({ type: 'monitor.state', sessionId: 's2', mode: 'barge' });
    expect(useSupervisionStore.getState().monitoring?.mode).toBe('listen');
    s.apply({ type: 'monitor.state', sessionId: 's1', mode: 'whisper' });
    expect(useSupervisionStore.getState().monitoring?.mode).toBe('whisper');
    s.apply({ type: 'monitor.state', sessionId: 's1', mode: null, reason: 'The call ended; monitoring stopped.' });
    expect(useSupervisionStore.getState().monitoring).toMatchObject({ mode: null, note: 'The call ended; monitoring stopped.' });
  });

  it('keeps where the call\'s audio is while monitoring (a cluster names the backend holding the call), and forgets it at the end', async () => {
    const s = useSupervisionStore.getState();
    s.setMonitoring(newMonitoring('s1'));
    // The lead's leg waits for the server's state: it names the backend to join.
    const started = whenMonitoring('s1');
    s.apply({ type: 'monitor.state', sessionId: 's1', mode: 'listen', mediaUrl: 'http://10.0.0.7:3000' });
    expect((await started)?.mediaUrl).toBe('http://10.0.0.7:3000');
    s.apply({ type: 'monitor.state', sessionId: 's1', mode: 'whisper' });
    expect(useSupervisionStore.getState().monitoring?.mediaUrl).toBe('http://10.0.0.7:3000');
    s.apply({ type: 'monitor.state', sessionId: 's1', mode: null, reason: 'The call ended; monitoring stopped.' });
    expect(useSupervisionStore.getState().monitoring?.mediaUrl).toBeNull();
  });

  it('gives up waiting for the state when none comes, so the leg tries this server', async () => {
    useSupervisionStore.getState().setMonitoring(newMonitoring('s1'));
    expect(await whenMonitoring('s1', 50)).toBeNull();
  });

  it("keeps the monitored call's transcript, and nothing of other calls", () => {
    const s = useSupervisionStore.getState();
    s.setMonitoring(newMonitoring('s1'));
    const line = (sessionId: string, seq: number, text: string) => ({
      type: 'session.event' as const,
      sessionId,
      seq,
      event: { sessionId, seq, type: 'transcript.final', at: '2026-01-01T00:00:00.000Z', data: { speaker: 'caller', text, startMs: 0, endMs: 1 } } as AnySessionEvent,
    });
    s.applyEvent(line('s1', 1, 'where is my order'));
    s.applyEvent(line('s2', 1, 'someone else'));
    expect(useSupervisionStore.getState().monitoring?.transcript.lines.map((l) => l.text)).toEqual(['where is my order']);
  });

  it('tracks raised hands per call', () => {
    useSupervisionStore.getState().apply({ type: 'hand.state', sessionId: 's1', raised: true });
    expect(useSupervisionStore.getState().handsRaised).toEqual({ s1: true });
  });
});

describe("the agent's transcript and monitoring", () => {
  const ev = (seq: number, type: string, data: unknown) => ({ sessionId: 's', at: '2026-01-01T00:00:00.000Z', seq, type, data }) as AnySessionEvent;
  it('says nothing about a silent listen, and tells the agent about a whisper and a barge', () => {
    let t = applyTranscriptEvent(emptyTranscript, ev(1, 'monitor.started', { supervisorId: 'l', supervisorName: 'Lea Lead', mode: 'listen' }));
    expect(t.lines).toHaveLength(0);
    t = applyTranscriptEvent(t, ev(2, 'monitor.mode_changed', { supervisorId: 'l', from: 'listen', to: 'whisper' }));
    t = applyTranscriptEvent(t, ev(3, 'monitor.mode_changed', { supervisorId: 'l', from: 'whisper', to: 'barge' }));
    expect(t.lines.map((l) => l.text)).toEqual(['The lead is whispering to you (the caller cannot hear)', 'The lead joined the conversation (the caller hears them)']);
  });
});
