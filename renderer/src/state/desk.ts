// The running agent desk: signs in and out, owns the one REST client, the agent channel,
// the ringer and the audio legs, routes every server message to its store, and exposes the
// commands the screens call. Components read stores and call these; they never touch sockets.
import type {
  AgentClientMessage,
  AgentServerMessage,
  FollowUp,
  TransferTarget,
} from '../../../contracts/agent-channel';
import type { LoginResponse } from '../../../contracts/api';
import { AgentChannelClient, agentChannelUrl } from '../api/agent-channel-client';
import { ApiRequestError, HttpClient } from '../api/http-client';
import type { AudioLegState } from '../audio/agent-audio';
import { LocalSoftphone } from '../softphone/local-softphone';
import type { Softphone, SoftphoneKind } from '../softphone/softphone';
import { TwilioSoftphone } from '../softphone/twilio-softphone';
import { Ringer } from '../audio/ringer';
import { serverBaseUrl } from '../platform/desktop-bridge';
import { clearSession, loadSession, saveSession } from '../platform/token-storage';
import { useDevicePrefs } from '../settings/device-prefs';
import { useAgentStore } from './agent-store';
import { useAuthStore } from './auth-store';
import { isSessionMessage } from './call-reducer';
import { useCallsStore } from './calls-store';
import { useFloorStore } from './floor-store';
import { useOffersStore } from './offers-store';
import { wrapUpConfirmation } from './wrap-up-confirmation';
import { isWallboardMessage, useWallboardStore } from '../dashboards/wallboard-store';
import { useViewStore } from './view-store';
import { isSupervisionMessage, useSupervisionStore } from '../supervision/supervision-store';
import { createMonitor, monitorEnded, releaseMonitor } from '../supervision/monitor';
import { create } from 'zustand';

export const http = new HttpClient({
  baseUrl: serverBaseUrl,
  token: () => useAuthStore.getState().token,
  onUnauthorized: () => void signOut('Your session has expired. Sign in again.'),
});

/** Audio leg state per session, for the call controls' status line. */
export const useAudioStore = create<{ legs: Record<string, { state: AudioLegState; detail?: string }> }>(
  () => ({ legs: {} }),
);

let channel: AgentChannelClient | null = null;
// The ring and the call audio follow the agent's device choices (settings/device-prefs.ts).
const ringer = new Ringer({ deviceId: () => useDevicePrefs.getState().prefs.ringtoneDeviceId });

// ---- the softphone: the adapter for the backend's carrier (GET /api/telephony) ----
const setLeg = (sessionId: string, state: AudioLegState, detail?: string) =>
  useAudioStore.setState((s) => ({ legs: { ...s.legs, [sessionId]: detail ? { state, detail } : { state } } }));
const softphoneEvents = {
  onLegState: setLeg,
  onProblem: (message: string) => useAgentStore.getState().notify('error', message),
};

/** Builds the softphone for a carrier; the Voice SDK is loaded only when Twilio carries the calls. */
export function createSoftphone(kind: SoftphoneKind): Softphone {
  if (kind === 'twilio') {
    return new TwilioSoftphone({
      ...softphoneEvents,
      fetchToken: async () => (await http.get<{ token: string }>('/api/twilio/token')).token,
      createDevice: async (token) => {
        const { Call, Device } = await import('@twilio/voice-sdk');
        return new Device(token, { closeProtection: true, codecPreferences: [Call.Codec.Opus, Call.Codec.PCMU] });
      },
    });
  }
  return new LocalSoftphone({
    ...softphoneEvents,
    baseUrl: serverBaseUrl,
    token: () => useAuthStore.getState().token,
    devices: () => {
      const { microphoneId, speakerId } = useDevicePrefs.getState().prefs;
      return { microphoneId, speakerId };
    },
  });
}

let softphone: Softphone = createSoftphone('local');

async function startSoftphone(): Promise<void> {
  const telephony = await http.get<{ carrier: SoftphoneKind }>('/api/telephony').catch(() => ({ carrier: 'local' as const }));
  softphone.stop();
  softphone = createSoftphone(telephony.carrier);
  await softphone.start();
}

useDevicePrefs.subscribe((s, prev) => {
  if (s.prefs.ringtoneDeviceId !== prev.prefs.ringtoneDeviceId) void ringer.setDevice(s.prefs.ringtoneDeviceId);
  if (s.prefs.speakerId !== prev.prefs.speakerId) void softphone.setSpeaker(s.prefs.speakerId);
  if (s.prefs.microphoneId !== prev.prefs.microphoneId) void softphone.setMicrophone(s.prefs.microphoneId);
});

/** One ring on the chosen ringtone device (Settings → Test ringtone). */
export function testRingtone(): void {
  ringer.preview();
}

export async function restoreSession(): Promise<void> {
  const saved = await loadSession();
  if (!saved) {
    useAuthStore.getState().setSignedOut();
    return;
  }
  useAuthStore.getState().setSignedIn(saved.token, saved.user);
  connectChannel(saved.token);
  void startSoftphone();
}

export async function signIn(email: string, password: string): Promise<void> {
  ringer.unlock();
  useAuthStore.getState().setSigningIn();
  try {
    const res = await http.post<LoginResponse>('/api/auth/login', { email, password });
    await saveSession(res.token, res.user);
    useAuthStore.getState().setSignedIn(res.token, res.user);
    connectChannel(res.token);
    void startSoftphone();
  } catch (err) {
    useAuthStore
      .getState()
      .setSignedOut(err instanceof ApiRequestError ? err.message : 'Sign-in failed. Try again.');
  }
}

export async function signOut(message: string | null = null): Promise<void> {
  const hadToken = useAuthStore.getState().token !== null;
  if (hadToken && message === null) await http.post('/api/auth/logout').catch(() => undefined);
  channel?.stop();
  channel = null;
  ringer.stop();
  softphone.stop();
  useAudioStore.setState({ legs: {} });
  await clearSession();
  useCallsStore.getState().reset();
  useOffersStore.getState().reset();
  useAgentStore.getState().reset();
  useWallboardStore.getState().reset();
  releaseMonitor();
  useFloorStore.getState().reset();
  useViewStore.getState().reset();
  useAuthStore.getState().setSignedOut(message);
}

function connectChannel(token: string): void {
  channel?.stop();
  channel = new AgentChannelClient({
    url: agentChannelUrl(serverBaseUrl(), token),
    resume: () => useCallsStore.getState().resume(),
    onMessage: handleServerMessage,
    onReconnected: () => useCallsStore.getState().reconnected(),
    onStatus: (status) => {
      useAgentStore.getState().setChannel(status);
      if (status.state === 'unauthorized')
        void signOut('Your session has expired or was revoked. Sign in again.');
      // Offers cannot be answered while the link is down; the server re-offers after reconnect.
      if (status.state !== 'open') useOffersStore.getState().reset();
    },
  });
  channel.start();
}

export function retryConnection(): void {
  channel?.retryNow();
}

export function handleServerMessage(message: AgentServerMessage): void {
  // Leads and admins also get live wallboard snapshots on this channel (analytics-api.ts).
  // Not (yet) in AgentServerMessage, so the check runs on the plain shape.
  const raw: { type: string } = message;
  if (isWallboardMessage(raw)) {
    useWallboardStore.getState().apply(raw.snapshot);
    return;
  }
  // Supervision: live calls and alerts for leads, the monitor's state, an agent's raised hand.
  if (isSupervisionMessage(message)) {
    useSupervisionStore.getState().apply(message);
    if (message.type === 'monitor.state' && message.mode === null) monitorEnded(message.sessionId);
    return;
  }
  const agent = useAgentStore.getState();
  switch (message.type) {
    case 'welcome':
      agent.setWelcome(message);
      return;
    case 'presence':
      agent.setPresence(message.presence);
      return;
    case 'offer':
      useOffersStore.getState().add(message.offer);
      return;
    case 'offer.revoked':
      useOffersStore.getState().remove(message.offerId);
      // An offer that rang out sets the agent away on the server: say so until acknowledged.
      if (message.reason === 'expired') agent.setMissedOffer(new Date().toISOString());
      return;
    case 'error':
      // Request errors are shown by whoever awaited them; unsolicited ones go to the notice bar.
      if (!message.requestId) agent.notify('error', message.message);
      return;
    case 'ack':
    case 'pong':
      return;
    case 'transfer.options':
      useFloorStore.getState().setOptions(message.options);
      return;
    case 'customer.results':
      useFloorStore.getState().setMatches(message.sessionId, message.results);
      return;
    case 'queue.figures':
      useFloorStore.getState().setFigures(message.queues);
      return;
    case 'consult.state': {
      useCallsStore.getState().apply(message);
      if (message.notice) agent.notify('info', message.notice);
      // A colleague's call this desk only consulted on leaves the screen when the consultation ends.
      if (!message.consult && message.outcome !== 'completed' && isConsultGuest(message.sessionId)) {
        stopAudio(message.sessionId);
        useCallsStore.getState().close(message.sessionId);
      }
      if (message.consult?.role === 'to') consultGuests.add(message.sessionId);
      if (!message.consult) consultGuests.delete(message.sessionId);
      return;
    }
    default:
      if (isSessionMessage(message)) {
        // The call a lead monitors (and does not hold) feeds the monitor's transcript only.
        const monitored = useSupervisionStore.getState().monitoring?.sessionId;
        if (monitored === message.sessionId && !useCallsStore.getState().calls[message.sessionId]) {
          if (message.type === 'session.event') useSupervisionStore.getState().applyEvent(message);
          return;
        }
        // The server subscribes this desk to an assigned call from seq 0 itself (agent-desk.ts),
        // so the history arrives without a session.subscribe; a second one would only race it.
        useCallsStore.getState().apply(message);
        if (message.type === 'call.state') softphone.setMuted(message.sessionId, message.muted);
        if (message.type === 'call.state') softphone.setHeld(message.sessionId, message.held);
      }
  }
}

/** Calls on this desk only because a colleague consulted us about them. */
const consultGuests = new Set<string>();
const isConsultGuest = (sessionId: string) => consultGuests.has(sessionId);

/** Runs a request and turns a failure into a notice; resolves true on ack. */
async function command(message: AgentClientMessage): Promise<boolean> {
  if (!channel) return false;
  try {
    await channel.request(message);
    return true;
  } catch (err) {
    useAgentStore.getState().notify('error', (err as Error).message);
    return false;
  }
}

/** A lead's monitoring of live calls (supervision/monitor.ts), over this channel. */
export const monitor = createMonitor({
  baseUrl: serverBaseUrl,
  token: () => useAuthStore.getState().token,
  devices: () => {
    const { microphoneId, speakerId } = useDevicePrefs.getState().prefs;
    return { microphoneId, speakerId };
  },
  request: async (message) => {
    if (!channel) return { ok: false, message: 'Not connected to the Switchboard server. Wait for the connection to come back, then try again.' };
    try {
      await channel.request(message);
      return { ok: true };
    } catch (err) {
      return { ok: false, message: (err as Error).message };
    }
  },
});

export function setRinging(on: boolean): void {
  if (on) ringer.start();
  else ringer.stop();
}

export const desk = {
  setPresence: (presence: 'available' | 'away' | 'offline') => command({ type: 'presence.set', presence }),
  accept: async (offerId: string) => {
    const consult = useOffersStore.getState().offers.find((o) => o.offerId === offerId)?.consultFrom !== undefined;
    useOffersStore.getState().remove(offerId);
    return command(consult ? { type: 'consult.accept', consultId: offerId } : { type: 'offer.accept', offerId });
  },
  decline: async (offerId: string) => {
    const consult = useOffersStore.getState().offers.find((o) => o.offerId === offerId)?.consultFrom !== undefined;
    useOffersStore.getState().remove(offerId);
    return command(consult ? { type: 'consult.decline', consultId: offerId } : { type: 'offer.decline', offerId });
  },
  consult: (sessionId: string, target: TransferTarget, note: string) => command({ type: 'consult.start', sessionId, target, note }),
  completeConsult: (sessionId: string) => command({ type: 'consult.complete', sessionId }),
  cancelConsult: (sessionId: string) => command({ type: 'consult.cancel', sessionId }),
  conference: (sessionId: string) => command({ type: 'consult.conference', sessionId }),
  transferOptions: () => command({ type: 'transfer.options' }),
  searchCustomers: (sessionId: string, query: string) => command({ type: 'customer.search', sessionId, query }),
  linkCustomer: (sessionId: string, customerId: string) => command({ type: 'customer.link', sessionId, customerId }),
  verifyCaller: (sessionId: string, answer: { zip: string } | { dob: string }) => command({ type: 'caller.verify', sessionId, answer }),
  mute: (sessionId: string, muted: boolean) => {
    // Silence the microphone at once; the server's call.state confirms.
    softphone.setMuted(sessionId, muted);
    return command({ type: 'call.mute', sessionId, muted });
  },
  /** "Speak my replies in the caller's language" on this call. */
  speakTranslated: (sessionId: string, on: boolean) => command({ type: 'call.speak_translated', sessionId, on }),
  hold: (sessionId: string, held: boolean) => {
    softphone.setHeld(sessionId, held);
    return command({ type: 'call.hold', sessionId, held });
  },
  transfer: (sessionId: string, target: TransferTarget, note: string) =>
    command({ type: 'call.transfer', sessionId, target, note }),
  dtmf: (sessionId: string, digits: string) => {
    // Twilio's softphone sends the tones itself; the server logs them either way.
    softphone.sendDigits(sessionId, digits);
    return command({ type: 'call.dtmf', sessionId, digits });
  },
  pauseRecording: (sessionId: string, paused: boolean) => command({ type: 'call.recording', sessionId, paused }),
  raiseHand: (sessionId: string, raised: boolean) => command({ type: 'hand.raise', sessionId, raised }),
  hangUp: async (sessionId: string) => {
    stopAudio(sessionId);
    useCallsStore.getState().startWrapUp(sessionId);
    return command({ type: 'call.hangup', sessionId });
  },
  // Twilio's softphone dials through the TwiML App itself; the local carrier asks the server to ring.
  dial: async (phone: string) => (await softphone.dial(phone)) || command({ type: 'call.dial', phone }),
  suggestionUsed: (sessionId: string, suggestionId: string) => {
    useCallsStore.getState().markSuggestionUsed(sessionId, suggestionId);
    return command({ type: 'suggestion.used', sessionId, suggestionId });
  },
  suggestionDismissed: (sessionId: string, suggestionId: string) => {
    useCallsStore.getState().dismissSuggestion(sessionId, suggestionId);
    return command({ type: 'suggestion.dismissed', sessionId, suggestionId });
  },
  submitWrapUp: async (sessionId: string, disposition: string, notes: string, followUp: FollowUp) => {
    const ok = await command({ type: 'wrapup.submit', sessionId, disposition, notes, followUp });
    if (ok) {
      stopAudio(sessionId);
      useCallsStore.getState().close(sessionId);
      useAgentStore.getState().notify('info', wrapUpConfirmation(disposition, followUp));
    }
    return ok;
  },
};

export function startAudio(sessionId: string, mediaUrl?: string): void {
  softphone.join(sessionId, mediaUrl);
}

export function stopAudio(sessionId: string): void {
  softphone.leave(sessionId);
}
