// The metric definitions: one pure function turns a session's ordered event log into its
// fact row, its agent legs, its searchable transcript lines and its knowledge gaps. The live
// ingest, the seeder and the tests all go through here, so a figure means the same thing
// wherever it is computed. Definitions (also in docs/analytics.md):
//
// - A session belongs to the UTC day it started (`session.started`, else its first event).
// - Escalated: any `call.escalated`; reason, intent and queue come from the first one.
//   Intent otherwise falls back to the last `ai.said.intent`.
// - Contained: ended, never escalated and never entered a queue (the AI finished it).
// - Queued: first `queue.entered`; answered: first `agent.accepted` after it; speed of
//   answer (wait) = accepted − queued. Abandoned: queued, ended, never accepted, no
//   `callback.scheduled`.
// - Agent leg: from `agent.accepted` (agentId) until that agent's `call.transferred`
//   (transferred out), `wrapup.started`, or `session.ended`. A leg belongs to the UTC day it
//   was accepted (so a call that crosses midnight in the queue counts for the agent on the
//   day they answered it). hold = Σ `call.held` true→false by that agent (an open hold closes
//   at the leg end); talk = connected time − hold; wrap = `wrapup.started` →
//   `wrapup.submitted` (the payload's wrapUpMs when there is no start); handle = talk +
//   hold + wrap.
// - Suggestions: each suggestion inside a `suggestion.shown` during the leg counts as shown;
//   each `suggestion.used` by the agent counts as used.
// - Sentiment: scoreSentiment of the first and of the last caller line (`caller.said` or
//   `transcript.final` with speaker caller) inside the leg; for the session, over the whole
//   call. Bucket: ≤ −1 negative, ≥ 1 positive, else neutral.
// - CSAT: a future `csat.recorded {score 1..5}` event (not in the contract yet) on the last leg.
import type { AnySessionEvent } from '../../../contracts/events';
import { scoreSentiment } from '../policy/sentiment';
import { gapSignature } from './gap-signature';

export interface SessionFact {
  sessionId: string;
  startedAt: string;
  day: string;
  endedAt: string | null;
  callerId: string;
  callerName: string | null;
  agentId: string | null;
  team: string | null;
  queue: string | null;
  escalated: boolean;
  reason: string | null;
  intent: string | null;
  queuedAt: string | null;
  acceptedAt: string | null;
  waitMs: number | null;
  talkMs: number;
  holdMs: number;
  wrapMs: number;
  handled: boolean;
  contained: boolean;
  abandoned: boolean;
  callback: boolean;
  transferredCount: number;
  disposition: string | null;
  sentimentStart: number | null;
  sentimentEnd: number | null;
  sentiment: 'negative' | 'neutral' | 'positive' | null;
  suggestionsShown: number;
  suggestionsUsed: number;
  verified: boolean;
  hasRecording: boolean;
  csat: number | null;
}

export interface AgentLeg {
  sessionId: string;
  leg: number;
  agentId: string;
  team: string;
  day: string;
  acceptedAt: string;
  talkMs: number;
  holdMs: number;
  wrapMs: number | null;
  transferredOut: boolean;
  sentimentStart: number | null;
  sentimentEnd: number | null;
  suggestionsShown: number;
  suggestionsUsed: number;
  disposition: string | null;
  csat: number | null;
}

export interface TranscriptLine {
  seq: number;
  speaker: 'caller' | 'ai' | 'agent';
  text: string;
}

export interface GapRecord {
  seq: number;
  at: string;
  question: string;
  signature: string;
}

export interface SessionAnalysis {
  fact: SessionFact;
  legs: AgentLeg[];
  lines: TranscriptLine[];
  gaps: GapRecord[];
}

/** Looks up an agent's team; the ingest passes the user directory's answer. */
export type TeamOf = (agentId: string) => string;

export function sentimentBucket(score: number | null): SessionFact['sentiment'] {
  if (score === null) return null;
  if (score <= -1) return 'negative';
  if (score >= 1) return 'positive';
  return 'neutral';
}

interface OpenLeg {
  agentId: string;
  acceptedMs: number;
  acceptedAt: string;
  endMs: number | null;
  transferredOut: boolean;
  holdStartMs: number | null;
  holdMs: number;
  wrapStartMs: number | null;
  wrapMs: number | null;
  callerScores: number[];
  shown: number;
  used: number;
  disposition: string | null;
  csat: number | null;
}

const ms = (iso: string): number => Date.parse(iso);

export function analyzeSession(sessionId: string, events: readonly AnySessionEvent[], teamOf: TeamOf, meta?: { callerId?: string; callerName?: string | null; startedAt?: string }): SessionAnalysis {
  const first = events[0];
  const spoken = new Set(events.flatMap((e) => (e.type === 'transcript.final' && e.data.speaker === 'caller' ? [e.data.text.trim().toLowerCase()] : [])));
  let startedAt = meta?.startedAt ?? first?.at ?? new Date(0).toISOString();
  let callerId = meta?.callerId ?? '';
  let callerName = meta?.callerName ?? null;
  let endedAt: string | null = null;
  let escalated = false;
  let reason: string | null = null;
  let intent: string | null = null;
  let aiIntent: string | null = null;
  let queue: string | null = null;
  let queuedAt: string | null = null;
  let acceptedAt: string | null = null;
  let callback = false;
  let transfers = 0;
  let verified = false;
  let hasRecording = false;
  let csat: number | null = null;
  const callerScores: number[] = [];
  const legs: OpenLeg[] = [];
  const lines: TranscriptLine[] = [];
  const gaps: GapRecord[] = [];
  const current = (): OpenLeg | undefined => {
    const leg = legs[legs.length - 1];
    return leg && leg.endMs === null ? leg : undefined;
  };
  const closeLeg = (leg: OpenLeg, atMs: number): void => {
    if (leg.endMs !== null) return;
    if (leg.holdStartMs !== null) {
      leg.holdMs += Math.max(0, atMs - leg.holdStartMs);
      leg.holdStartMs = null;
    }
    leg.endMs = atMs;
  };
  const callerLine = (score: number): void => {
    callerScores.push(score);
    current()?.callerScores.push(score);
  };

  for (const e of events) {
    const t = ms(e.at);
    switch (e.type) {
      case 'session.started':
        startedAt = e.at;
        callerId = e.data.callerId;
        callerName = e.data.callerName ?? callerName;
        break;
      case 'ai.said':
        if (e.data.intent) aiIntent = e.data.intent;
        lines.push({ seq: e.seq, speaker: 'ai', text: e.data.text });
        break;
      case 'caller.said':
        // A spoken line is already here as the recognizer's transcript.final: count it once.
        if (e.data.source === 'speech' && spoken.has(e.data.text.trim().toLowerCase())) break;
        lines.push({ seq: e.seq, speaker: 'caller', text: e.data.text });
        callerLine(scoreSentiment(e.data.text).score);
        break;
      case 'transcript.final':
        lines.push({ seq: e.seq, speaker: e.data.speaker, text: e.data.text });
        if (e.data.speaker === 'caller') callerLine(scoreSentiment(e.data.text).score);
        break;
      case 'identity.verified':
        verified = true;
        break;
      case 'call.escalated':
        if (!escalated) {
          escalated = true;
          reason = e.data.reason;
          intent = e.data.intent || null;
          queue ??= e.data.queue;
        }
        break;
      case 'knowledge.gap':
        gaps.push({ seq: e.seq, at: e.at, question: e.data.question, signature: gapSignature(e.data.question) });
        break;
      case 'queue.entered':
        if (queuedAt === null) {
          queuedAt = e.at;
          queue = e.data.queue;
        }
        break;
      case 'agent.accepted': {
        acceptedAt ??= e.at;
        const open = current();
        if (open) closeLeg(open, t);
        legs.push({
          agentId: e.data.agentId, acceptedMs: t, acceptedAt: e.at, endMs: null, transferredOut: false, holdStartMs: null, holdMs: 0,
          wrapStartMs: null, wrapMs: null, callerScores: [], shown: 0, used: 0, disposition: null, csat: null,
        });
        break;
      }
      case 'call.transferred': {
        transfers++;
        const leg = current();
        if (leg && leg.agentId === e.data.fromAgentId) {
          leg.transferredOut = true;
          closeLeg(leg, t);
        }
        break;
      }
      case 'call.held': {
        const leg = current();
        if (!leg || leg.agentId !== e.data.agentId) break;
        if (e.data.held && leg.holdStartMs === null) leg.holdStartMs = t;
        else if (!e.data.held && leg.holdStartMs !== null) {
          leg.holdMs += Math.max(0, t - leg.holdStartMs);
          leg.holdStartMs = null;
        }
        break;
      }
      case 'suggestion.shown': {
        const leg = current();
        if (leg) leg.shown += e.data.suggestions.length;
        break;
      }
      case 'suggestion.used': {
        const leg = [...legs].reverse().find((l) => l.agentId === e.data.agentId);
        if (leg) leg.used++;
        break;
      }
      case 'wrapup.started': {
        const leg = [...legs].reverse().find((l) => l.agentId === e.data.agentId);
        if (leg) {
          closeLeg(leg, t);
          leg.wrapStartMs = t;
        }
        break;
      }
      case 'wrapup.submitted': {
        const leg = [...legs].reverse().find((l) => l.agentId === e.data.agentId);
        if (leg) {
          closeLeg(leg, t);
          leg.wrapMs = leg.wrapStartMs !== null ? Math.max(0, t - leg.wrapStartMs) : Math.max(0, e.data.wrapUpMs);
          leg.disposition = e.data.disposition;
        }
        break;
      }
      case 'callback.scheduled':
        callback = true;
        break;
      case 'recording.saved':
        hasRecording = true;
        break;
      case 'session.ended': {
        endedAt ??= e.at;
        const leg = current();
        if (leg) closeLeg(leg, t);
        break;
      }
      default: {
        // Not in the contract yet: `csat.recorded {score}` (see docs/analytics.md).
        const loose = e as unknown as { type: string; data: { score?: unknown } };
        if (loose.type === 'csat.recorded' && typeof loose.data.score === 'number' && loose.data.score >= 1 && loose.data.score <= 5) {
          csat = Math.round(loose.data.score);
          const last = legs[legs.length - 1];
          if (last) last.csat = csat;
        }
      }
    }
  }
  // An ongoing session: open legs are measured up to the last event seen.
  const lastMs = events.length > 0 ? ms(events[events.length - 1]!.at) : ms(startedAt);
  for (const leg of legs) closeLeg(leg, lastMs);

  const day = startedAt.slice(0, 10);
  const builtLegs: AgentLeg[] = legs.map((l, i) => {
    const connected = Math.max(0, (l.endMs ?? lastMs) - l.acceptedMs);
    return {
      sessionId,
      leg: i + 1,
      agentId: l.agentId,
      team: teamOf(l.agentId),
      day: l.acceptedAt.slice(0, 10),
      acceptedAt: l.acceptedAt,
      talkMs: Math.max(0, connected - l.holdMs),
      holdMs: l.holdMs,
      wrapMs: l.wrapMs,
      transferredOut: l.transferredOut,
      sentimentStart: l.callerScores[0] ?? null,
      sentimentEnd: l.callerScores[l.callerScores.length - 1] ?? null,
      suggestionsShown: l.shown,
      suggestionsUsed: l.used,
      disposition: l.disposition,
      csat: l.csat,
    };
  });
  const lastLeg = builtLegs[builtLegs.length - 1];
  const ended = endedAt !== null;
  const waitMs = queuedAt !== null && acceptedAt !== null ? Math.max(0, ms(acceptedAt) - ms(queuedAt)) : null;
  const sentimentEnd = callerScores[callerScores.length - 1] ?? null;
  const fact: SessionFact = {
    sessionId,
    startedAt,
    day,
    endedAt,
    callerId,
    callerName,
    agentId: lastLeg?.agentId ?? null,
    team: lastLeg?.team ?? null,
    queue,
    escalated,
    reason,
    intent: intent ?? aiIntent,
    queuedAt,
    acceptedAt,
    waitMs,
    talkMs: sum(builtLegs.map((l) => l.talkMs)),
    holdMs: sum(builtLegs.map((l) => l.holdMs)),
    wrapMs: sum(builtLegs.map((l) => l.wrapMs ?? 0)),
    handled: builtLegs.length > 0,
    contained: ended && !escalated && queuedAt === null,
    abandoned: ended && queuedAt !== null && acceptedAt === null && !callback,
    callback,
    transferredCount: transfers,
    disposition: [...builtLegs].reverse().find((l) => l.disposition !== null)?.disposition ?? null,
    sentimentStart: callerScores[0] ?? null,
    sentimentEnd,
    sentiment: sentimentBucket(sentimentEnd),
    suggestionsShown: sum(builtLegs.map((l) => l.suggestionsShown)),
    suggestionsUsed: sum(builtLegs.map((l) => l.suggestionsUsed)),
    verified,
    hasRecording,
    csat,
  };
  return { fact, legs: builtLegs, lines, gaps };
}

function sum(values: number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}
