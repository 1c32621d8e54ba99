// Every stored event of a session as one readable timeline entry: what kind of step it was
// (AI, caller, tool, routing, agent, system), a sentence a lead can read, and the details
// worth expanding (a tool's arguments and result, a suggestion's text). Unknown event types
// still appear, by name, so the timeline never hides a step. Pure, for Node tests.
import type { AnySessionEvent } from '../../../contracts/events';
import { escalationReasonLabel, formatDateTime, queueLabel } from '../state/format';

export type TimelineKind = 'ai' | 'caller' | 'tool' | 'verification' | 'routing' | 'agent' | 'assist' | 'media' | 'system' | 'wrapup';

export interface TimelineEntry {
  seq: number;
  at: string;
  /** Milliseconds since the session started. */
  offsetMs: number;
  type: string;
  kind: TimelineKind;
  title: string;
  detail?: string;
  /** Pretty-printed payload parts worth showing on demand (tool args and results). */
  extra?: string;
  tone?: 'ok' | 'warn' | 'danger';
}

function json(value: unknown): string {
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}

function humanTool(name: string): string {
  return name.replaceAll('_', ' ');
}

export function describeEvent(event: AnySessionEvent, originMs: number, names: ReadonlyMap<string, string> = new Map()): TimelineEntry {
  const base = { seq: event.seq, at: event.at, offsetMs: Math.max(0, Date.parse(event.at) - originMs), type: event.type };
  const agent = (id: string) => names.get(id) ?? `agent ${id.slice(0, 8)}`;
  switch (event.type) {
    case 'session.started': {
      const d = event.data;
      return { ...base, kind: 'system', title: `${d.direction === 'outbound' ? 'Outbound' : 'Inbound'} ${d.channel} session started`, detail: `${d.callerName ? `${d.callerName}, ` : ''}${d.callerId}` };
    }
    case 'state.changed':
      return { ...base, kind: 'system', title: `State: ${event.data.from} → ${event.data.to}` };
    case 'ai.said':
      return { ...base, kind: 'ai', title: `AI (turn ${event.data.turn})${event.data.intent ? ` · intent ${event.data.intent.replaceAll('_', ' ')}` : ''}`, detail: event.data.text, ...(event.data.citations.length ? { extra: `Sources: ${event.data.citations.join(', ')}` } : {}) };
    case 'ai.interrupted':
      return { ...base, kind: 'ai', title: `AI cut off after ${Math.round(event.data.heardMs / 100) / 10} s`, detail: event.data.heardText ? `Caller heard: “${event.data.heardText}”` : 'The caller heard none of it.', extra: `Planned: ${event.data.plannedText}`, tone: 'warn' };
    case 'caller.said':
      return { ...base, kind: 'caller', title: `Caller (${event.data.source})`, detail: event.data.text };
    case 'caller.dtmf':
      return { ...base, kind: 'caller', title: 'Caller pressed keys', detail: event.data.digits };
    case 'tool.called':
      return { ...base, kind: 'tool', title: `Tool ${humanTool(event.data.name)} ${event.data.ok ? 'succeeded' : 'failed'}`, extra: `Arguments:\n${json(event.data.args)}\n\nResult:\n${json(event.data.result)}`, tone: event.data.ok ? 'ok' : 'danger' };
    case 'identity.verified':
      return { ...base, kind: 'verification', title: `Identity verified by ${event.data.method === 'dob' ? 'date of birth' : 'ZIP code'}`, detail: `Customer ${event.data.customerId}`, tone: 'ok' };
    case 'identity.verification_failed':
      return { ...base, kind: 'verification', title: `Identity check failed (attempt ${event.data.attempt})`, detail: `Method: ${event.data.method}`, tone: 'warn' };
    case 'call.escalated':
      return { ...base, kind: 'routing', title: `Escalated to ${queueLabel(event.data.queue)}: ${escalationReasonLabel(event.data.reason)}`, detail: [event.data.detail, event.data.intent ? `intent ${event.data.intent.replaceAll('_', ' ')}` : ''].filter(Boolean).join(' · '), tone: 'warn' };
    case 'security.suspicious':
      return { ...base, kind: 'system', title: 'Suspicious input (possible prompt injection)', detail: event.data.text, extra: `Patterns: ${event.data.patterns.join(', ')}`, tone: 'danger' };
    case 'knowledge.gap':
      return { ...base, kind: 'ai', title: 'AI could not answer (knowledge gap)', detail: event.data.question, extra: `Best match score ${event.data.bestScore.toFixed(2)}`, tone: 'warn' };
    case 'transcript.final':
      return { ...base, kind: event.data.speaker === 'agent' ? 'agent' : event.data.speaker === 'ai' ? 'ai' : 'caller', title: `${event.data.speaker === 'agent' ? 'Agent' : event.data.speaker === 'ai' ? 'AI' : 'Caller'} (speech, ${(event.data.startMs / 1000).toFixed(1)}–${(event.data.endMs / 1000).toFixed(1)} s)`, detail: event.data.text };
    case 'media.filler':
      return { ...base, kind: 'media', title: `Filler line after ${event.data.afterMs} ms`, detail: event.data.text };
    case 'media.error':
      return { ...base, kind: 'media', title: `Media problem (${event.data.stage})`, detail: event.data.message, tone: 'danger' };
    case 'session.ended':
      return { ...base, kind: 'system', title: `Call ended by ${event.data.by}`, detail: event.data.reason };
    case 'session.linked':
      return {
        ...base,
        kind: 'system',
        title: `Call-back: continues the session of ${formatDateTime(event.data.previousStartedAt)}`,
        detail: event.data.summary,
        extra: `Previous session: ${event.data.previousSessionId}${event.data.openItems.length ? `\nOpen items: ${event.data.openItems.join(', ')}` : ''}`,
      };
    case 'ai.usage': {
      const u = event.data;
      const speed = [u.firstTokenMs !== undefined ? `first token ${u.firstTokenMs} ms` : '', u.firstSentenceMs !== undefined ? `first sentence ${u.firstSentenceMs} ms` : '', `turn ${u.totalMs} ms`].filter(Boolean).join(', ');
      return {
        ...base,
        kind: 'ai',
        title: `Model ${u.provider}${u.model ? ` ${u.model}` : ''} (turn ${u.turn}): ${u.inputTokens} tokens in, ${u.outputTokens} out, $${u.costUsd.toFixed(4)}`,
        detail: u.fallback ? `${speed}. Answered by the fallback: ${u.fallback}` : speed,
        ...(u.retries > 0 ? { extra: `${u.requests} requests, ${u.retries} retried` } : {}),
        ...(u.fallback ? { tone: 'warn' as const } : {}),
      };
    }
    case 'queue.entered':
      return { ...base, kind: 'routing', title: `Entered the ${queueLabel(event.data.queue)} queue at position ${event.data.position}`, detail: event.data.reason === 'transfer' ? 'after a transfer' : escalationReasonLabel(event.data.reason) };
    case 'offer.sent':
      return { ...base, kind: 'routing', title: `Offered to ${event.data.agentName}` };
    case 'offer.declined':
      return { ...base, kind: 'routing', title: `${agent(event.data.agentId)} declined the offer`, tone: 'warn' };
    case 'offer.expired':
      return { ...base, kind: 'routing', title: `Offer to ${agent(event.data.agentId)} expired unanswered`, tone: 'warn' };
    case 'agent.accepted':
      return { ...base, kind: 'agent', title: `${event.data.agentName} accepted the call`, tone: 'ok' };
    case 'call.transferred': {
      const to = 'queue' in event.data.to ? `the ${queueLabel(event.data.to.queue)} queue` : agent(event.data.to.agentId);
      return { ...base, kind: 'agent', title: `${agent(event.data.fromAgentId)} transferred the call to ${to}`, ...(event.data.note ? { detail: event.data.note } : {}) };
    }
    case 'hold.announced':
      return { ...base, kind: 'routing', title: `Caller told their position (${event.data.position}), about ${Math.round(event.data.estimatedWaitMs / 1000)} s wait` };
    case 'callback.offered':
      return { ...base, kind: 'routing', title: `Callback offered after ${Math.round(event.data.afterMs / 1000)} s in queue` };
    case 'callback.scheduled':
      return { ...base, kind: 'routing', title: `Callback scheduled to ${event.data.phone}`, tone: 'ok' };
    case 'call.muted':
      return { ...base, kind: 'agent', title: `${agent(event.data.agentId)} ${event.data.muted ? 'muted' : 'unmuted'} the microphone` };
    case 'call.held':
      return { ...base, kind: 'agent', title: event.data.held ? `${agent(event.data.agentId)} put the caller on hold` : `${agent(event.data.agentId)} resumed the call` };
    case 'monitor.started':
      return { ...base, kind: 'agent', title: `${event.data.supervisorName} started to ${event.data.mode === 'barge' ? 'barge in on' : event.data.mode === 'whisper' ? 'whisper on' : 'listen to'} the call` };
    case 'monitor.mode_changed':
      return { ...base, kind: 'agent', title: `${agent(event.data.supervisorId)} switched from ${event.data.from} to ${event.data.to}` };
    case 'monitor.stopped':
      return { ...base, kind: 'agent', title: `${agent(event.data.supervisorId)} stopped monitoring (${event.data.reason.replace('_', ' ')})` };
    case 'agent.hand_raised':
      return { ...base, kind: 'agent', title: event.data.raised ? `${agent(event.data.agentId)} raised a hand for help` : `${agent(event.data.agentId)} lowered their hand`, ...(event.data.raised ? { tone: 'warn' as const } : {}) };
    case 'agent.dtmf':
      return { ...base, kind: 'agent', title: `${agent(event.data.agentId)} keyed digits`, detail: event.data.digits };
    case 'recording.paused':
    case 'recording.resumed': {
      const at = Math.round(event.data.atMs / 1000);
      const position = `${Math.floor(at / 60)}:${String(at % 60).padStart(2, '0')}`;
      const verb = event.type === 'recording.paused' ? 'paused' : 'resumed';
      return { ...base, kind: 'agent', title: `${agent(event.data.agentId)} ${verb} the recording at ${position}`, ...(verb === 'paused' ? { tone: 'warn' as const } : {}) };
    }
    case 'suggestion.shown':
      return { ...base, kind: 'assist', title: `${event.data.suggestions.length} suggestion${event.data.suggestions.length === 1 ? '' : 's'} shown to the agent`, extra: event.data.suggestions.map((s) => `• ${s.text} (${s.source})`).join('\n') };
    case 'suggestion.used':
      return { ...base, kind: 'assist', title: `${agent(event.data.agentId)} used a suggestion`, detail: event.data.suggestionId, tone: 'ok' };
    case 'suggestion.dismissed':
      return { ...base, kind: 'assist', title: `${agent(event.data.agentId)} dismissed a suggestion`, detail: event.data.suggestionId };
    case 'customer.note_added':
      return { ...base, kind: 'agent', title: `${agent(event.data.agentId)} added a CRM note`, detail: event.data.note };
    case 'wrapup.started':
      return { ...base, kind: 'wrapup', title: `${agent(event.data.agentId)} started wrap-up` };
    case 'wrapup.submitted':
      return { ...base, kind: 'wrapup', title: `Wrap-up submitted: ${event.data.disposition} (${Math.round(event.data.wrapUpMs / 1000)} s)`, detail: event.data.notes, ...(event.data.followUp.kind !== 'none' ? { extra: `Follow-up: ${event.data.followUp.kind}${event.data.followUp.id ? ` ${event.data.followUp.id}` : ''}` } : {}), tone: 'ok' };
    case 'recording.saved':
      return { ...base, kind: 'media', title: `Recording saved (${Math.round(event.data.durationMs / 1000)} s, stereo)` };
    default: {
      const unknown = event as { type: string; data?: unknown };
      return { ...base, type: unknown.type, kind: 'system', title: unknown.type, extra: json(unknown.data) };
    }
  }
}

/** Agent ids to names, from the events that carry both. */
export function agentNames(events: readonly AnySessionEvent[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const e of events) if (e.type === 'offer.sent' || e.type === 'agent.accepted') names.set(e.data.agentId, e.data.agentName);
  return names;
}

export function buildTimeline(events: readonly AnySessionEvent[]): TimelineEntry[] {
  const started = events.find((e) => e.type === 'session.started') ?? events[0];
  const origin = started ? Date.parse(started.at) : 0;
  const names = agentNames(events);
  const echoes = spokenEchoes(events);
  return events.filter((e) => !echoes.has(e.seq)).map((e) => describeEvent(e, origin, names));
}

const said = (text: string): string => text.trim().toLowerCase();

/**
 * On a voice call each caller utterance is logged twice: the recognizer's transcript.final
 * and the conversation's caller.said (source speech) with the same words. The timeline keeps
 * the transcript line (it has the timing) and drops the echo; typed lines stay.
 */
export function spokenEchoes(events: readonly AnySessionEvent[]): Set<number> {
  const heard = new Map<string, number>();
  for (const e of events) {
    if (e.type === 'transcript.final' && e.data.speaker === 'caller') heard.set(said(e.data.text), (heard.get(said(e.data.text)) ?? 0) + 1);
  }
  const echoes = new Set<number>();
  for (const e of events) {
    if (e.type !== 'caller.said' || e.data.source !== 'speech') continue;
    const left = heard.get(said(e.data.text)) ?? 0;
    if (left > 0) {
      heard.set(said(e.data.text), left - 1);
      echoes.add(e.seq);
    }
  }
  return echoes;
}

export const timelineKindLabels: Record<TimelineKind, string> = {
  ai: 'AI',
  caller: 'Caller',
  tool: 'Tool',
  verification: 'Verification',
  routing: 'Routing',
  agent: 'Agent',
  assist: 'Suggestions',
  media: 'Media',
  system: 'System',
  wrapup: 'Wrap-up',
};
