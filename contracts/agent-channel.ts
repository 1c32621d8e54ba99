// The agent channel: WebSocket /agent/ws?token=<bearer token>. JSON text messages both ways,
// validated with these schemas on both ends. Every server message about a session carries
// that session's sequence number (`seq`): after a reconnect the app sends the last seq it saw
// per session and receives everything after it, so no transcript line is missing or doubled.
import { z } from 'zod';
import { QueueSkill, type EscalationReason } from './conversation';
import type { AnySessionEvent } from './events';
import type { WallboardMessage } from './analytics-api';
import { MonitorMode, type LiveAgentCall, type MonitorMode as MonitorModeName, type SupervisorAlert } from './supervision';

export const AgentPresence = z.enum(['offline', 'available', 'on_call', 'wrap_up', 'away']);
export type AgentPresence = z.infer<typeof AgentPresence>;

/** Presence an agent can choose; on_call and wrap_up follow from calls. */
export const SelectablePresence = z.enum(['available', 'away', 'offline']);

const requestId = z.string().max(64).optional();
const sessionId = z.string().min(1).max(100);

export const TransferTarget = z.union([z.object({ queue: QueueSkill }), z.object({ agentId: z.string().min(1) })]);
export type TransferTarget = z.infer<typeof TransferTarget>;

export const FollowUp = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  z.object({ kind: z.literal('ticket'), subject: z.string().min(1).max(300) }),
  z.object({ kind: z.literal('callback'), phone: z.string().regex(/^\+[1-9]\d{7,14}$/), dueAt: z.string().datetime().optional() }),
]);
export type FollowUp = z.infer<typeof FollowUp>;

export const AgentClientMessage = z.discriminatedUnion('type', [
  /** First message after connecting; `resume` lists the sessions the app was showing. */
  z.object({ type: z.literal('hello'), requestId, resume: z.array(z.object({ sessionId, afterSeq: z.number().int().min(0) })).max(50).default([]) }),
  z.object({ type: z.literal('presence.set'), requestId, presence: SelectablePresence }),
  z.object({ type: z.literal('offer.accept'), requestId, offerId: z.string().min(1) }),
  z.object({ type: z.literal('offer.decline'), requestId, offerId: z.string().min(1) }),
  z.object({ type: z.literal('session.subscribe'), requestId, sessionId, afterSeq: z.number().int().min(0) }),
  z.object({ type: z.literal('call.mute'), requestId, sessionId, muted: z.boolean() }),
  z.object({ type: z.literal('call.hold'), requestId, sessionId, held: z.boolean() }),
  z.object({ type: z.literal('call.transfer'), requestId, sessionId, target: TransferTarget, note: z.string().max(1000).default('') }),
  z.object({ type: z.literal('call.dtmf'), requestId, sessionId, digits: z.string().regex(/^[0-9*#A-D]{1,32}$/) }),
  /** Pause the call recording (silence is recorded) while a caller gives payment details; resume after. */
  z.object({ type: z.literal('call.recording'), requestId, sessionId, paused: z.boolean() }),
  z.object({ type: z.literal('call.hangup'), requestId, sessionId }),
  /** "Speak my replies in the caller's language": the agent's recognized words, translated and synthesized to the caller. */
  z.object({ type: z.literal('call.speak_translated'), requestId, sessionId, on: z.boolean() }),
  z.object({ type: z.literal('call.dial'), requestId, phone: z.string().regex(/^\+[1-9]\d{7,14}$/) }),
  z.object({ type: z.literal('suggestion.used'), requestId, sessionId, suggestionId: z.string().min(1).max(100) }),
  z.object({ type: z.literal('suggestion.dismissed'), requestId, sessionId, suggestionId: z.string().min(1).max(100) }),
  z.object({
    type: z.literal('wrapup.submit'),
    requestId,
    sessionId,
    disposition: z.string().min(1).max(60),
    notes: z.string().max(5000),
    followUp: FollowUp.default({ kind: 'none' }),
  }),
  z.object({ type: z.literal('ping'), requestId }),
  // Supervision (contracts/supervision.ts): leads and admins only; the audio leg follows on /agent/monitor.
  z.object({ type: z.literal('monitor.start'), requestId, sessionId, mode: MonitorMode }),
  z.object({ type: z.literal('monitor.mode'), requestId, sessionId, mode: MonitorMode }),
  z.object({ type: z.literal('monitor.stop'), requestId, sessionId }),
  /** The agent asks a lead for help on this call (an alert to their team's leads); false lowers it. */
  z.object({ type: z.literal('hand.raise'), requestId, sessionId, raised: z.boolean() }),
  // Warm transfer: consult a colleague (or whoever is free in a queue) while the caller holds.
  z.object({ type: z.literal('consult.start'), requestId, sessionId, target: TransferTarget, note: z.string().max(1000).default('') }),
  z.object({ type: z.literal('consult.accept'), requestId, consultId: z.string().min(1).max(100) }),
  z.object({ type: z.literal('consult.decline'), requestId, consultId: z.string().min(1).max(100) }),
  /** The caller goes to the consulted agent; the first agent goes to wrap-up. */
  z.object({ type: z.literal('consult.complete'), requestId, sessionId }),
  /** Either agent ends the consultation: the caller is back with the first agent. */
  z.object({ type: z.literal('consult.cancel'), requestId, sessionId }),
  /** The caller, the first agent and the consulted agent all hear each other. */
  z.object({ type: z.literal('consult.conference'), requestId, sessionId }),
  /** Who can take a transfer now: agents with their presence, and agents available per queue. */
  z.object({ type: z.literal('transfer.options'), requestId }),
  /** Search the CRM for the caller's account (phone or its last digits, email, name, order id). */
  z.object({ type: z.literal('customer.search'), requestId, sessionId, query: z.string().trim().min(2).max(100) }),
  /** Link a found account to this call: nothing is disclosed until the caller verifies. */
  z.object({ type: z.literal('customer.link'), requestId, sessionId, customerId: z.string().min(1).max(100) }),
  /** The caller's answer to the verification question, typed by the agent: the AI's verification tool and limits. */
  z.object({
    type: z.literal('caller.verify'),
    requestId,
    sessionId,
    answer: z.union([z.object({ zip: z.string().min(1).max(60) }), z.object({ dob: z.string().min(1).max(60) })]),
  }),
]);
export type AgentClientMessage = z.input<typeof AgentClientMessage>;
export type ParsedAgentClientMessage = z.output<typeof AgentClientMessage>;

export interface OfferView {
  offerId: string;
  sessionId: string;
  callerName: string | null;
  callerId: string;
  queue: QueueSkill;
  reason: EscalationReason;
  /** When the caller entered the queue (ISO); the app shows the wait time from it. */
  enqueuedAt: string;
  expiresAt: string;
  transferNote?: string;
  /** Set when a colleague asks to consult about their call (warm transfer): their name. */
  consultFrom?: string;
  /** The caller's language when it is not the default (a locale). */
  language?: string;
  /** Said when no agent speaks the caller's language and this one is offered the call anyway. */
  languageNotice?: string;
}

export interface ConsultView {
  consultId: string;
  /** This desk's part: the agent who asked, or the colleague asked. */
  role: 'from' | 'to';
  phase: 'ringing' | 'talking' | 'conference';
  otherAgentName: string;
  expiresAt?: string;
}

export interface TransferOptionsView {
  agents: Array<{ id: string; name: string; presence: AgentPresence; skills: QueueSkill[]; free: boolean }>;
  queues: Array<{ queue: QueueSkill; waiting: number; longestWaitMs: number; agentsAvailable: number; agentsStaffed: number }>;
}

export interface CustomerMatchView {
  customerId: string;
  name: string;
  /** The last four digits only; the rest of the account opens after verification. */
  phoneEnding: string;
  /** e.g. d•••@example.com */
  emailHint: string | null;
  matchedOn: 'phone' | 'email' | 'name' | 'order';
}

/** Translation on a call whose caller speaks another language than the agent. */
export interface TranslationView {
  callerLanguage: string;
  agentLanguage: string;
  /** Lines are translated (transcript.translated events follow each original). */
  on: boolean;
  provider?: string;
  /** Why translation is off, and what to do about it. */
  why?: string;
  /** The agent's words are translated and spoken to the caller in their language. */
  speakReplies?: boolean;
}

export interface SuggestionView {
  id: string;
  text: string;
  source: { kind: 'article'; id: string; title: string } | { kind: 'crm'; fact: string; recordId: string };
}

export interface HandoffBriefView {
  caller: { name: string | null; nameVerified: boolean; phone: string; customerId: string | null; verified: boolean; verificationMethod?: 'zip' | 'dob'; tier?: string; candidateMatch?: { name: string | null; phone: string } };
  wants: string;
  aiActions: string[];
  escalation: { reason: EscalationReason; detail: string; queue: string } | null;
  mood: 'upset' | 'negative' | 'neutral' | 'positive';
  moodTrend: 'improving' | 'steady' | 'worsening';
  flags: string[];
  transcriptTail: Array<{ speaker: string; text: string }>;
}

export type AgentServerMessage =
  | { type: 'welcome'; agent: { id: string; name: string; role: string; skills: QueueSkill[] }; presence: AgentPresence; dispositions: string[]; queues: QueueSkill[] }
  | { type: 'presence'; presence: AgentPresence }
  | { type: 'offer'; offer: OfferView }
  | { type: 'offer.revoked'; offerId: string; reason: 'expired' | 'taken' | 'caller_left' | 'presence' | 'cancelled' }
  /** The agent now holds this call: the brief is shown before the agent says a word. */
  | {
      type: 'call.assigned';
      sessionId: string;
      seq: number;
      brief: HandoffBriefView;
      wrapUpDraft?: string;
      translation?: TranslationView;
      /** In a cluster: the backend holding the call, where the agent's audio (/agent/media) connects. Absent: the same server as this channel. */
      mediaUrl?: string;
    }
  /** One stored session event, in seq order, exactly once per subscription. */
  | { type: 'session.event'; sessionId: string; seq: number; event: AnySessionEvent }
  /** A live partial transcript (not stored); `seq` is the last stored event's seq. */
  | { type: 'transcript.partial'; sessionId: string; seq: number; speaker: 'caller' | 'agent'; text: string }
  | { type: 'suggestions'; sessionId: string; seq: number; suggestions: SuggestionView[] }
  | { type: 'call.state'; sessionId: string; seq: number; muted: boolean; held: boolean; recordingPaused?: boolean; wrapUpStartedAt?: string; wrapUpDraft?: string; speakTranslated?: boolean }
  | { type: 'ack'; requestId?: string }
  | { type: 'error'; requestId?: string; code: string; message: string }
  | { type: 'pong'; requestId?: string }
  | WallboardMessage
  /** To leads and admins: the live agent calls they may monitor (sent on hello and on every change). */
  | { type: 'supervision.calls'; calls: LiveAgentCall[] }
  /** To leads and admins: something on a live call needs a look. */
  | { type: 'supervision.alert'; alert: SupervisorAlert }
  /**
   * To the monitoring lead: the monitor's mode now, or null when it ended (with why). While
   * monitoring, `mediaUrl` names the backend holding the call in a cluster: the lead's
   * /agent/monitor leg connects there (absent: the server of this channel).
   */
  | { type: 'monitor.state'; sessionId: string; mode: MonitorModeName | null; reason?: string; mediaUrl?: string }
  /** To the agent: whether their raised hand is up on this call. */
  | { type: 'hand.state'; sessionId: string; raised: boolean }
  /** The consultation on this call changed; `consult` null when it ended (`outcome`, `notice` say how). */
  | { type: 'consult.state'; sessionId: string; seq: number; consult: ConsultView | null; outcome?: string; notice?: string }
  /** Answer to transfer.options (same requestId). */
  | { type: 'transfer.options'; requestId?: string; options: TransferOptionsView }
  /** The agent's queues right now (sent on welcome and whenever they change, at most once a second). */
  | { type: 'queue.figures'; queues: TransferOptionsView['queues'] }
  /** Answer to customer.search: just enough to pick the right account, nothing of the account itself. */
  | { type: 'customer.results'; requestId?: string; sessionId: string; seq: number; results: CustomerMatchView[] };
