// The wrap-up draft: three to six plain sentences the agent edits before writing the call
// back to the CRM — why the caller called, whether their identity was verified, what the AI
// did, what the agent did, and how the call ended. Built from the session log, so events
// this module does not know yet (transfers, holds, notes from newer backends) are read by
// their names and never break the draft.
import type { AnySessionEvent } from '../../../contracts/events';
import { buildHandoffBrief, type HandoffBrief } from './handoff-brief';
import { lowerFirst, quote } from './plain-text';

const METHOD_WORDS = { zip: 'zip code', dob: 'date of birth' } as const;
const MAX_AI_ACTIONS = 4;
const QUOTE_MAX = 100;
const ENDED_BY = { caller: 'the caller', ai: 'the AI', agent: 'the agent', system: 'the system' } as const;

export function draftWrapUpSummary(events: readonly AnySessionEvent[], brief?: HandoffBrief): string {
  const b = brief ?? buildHandoffBrief(events);
  const lines = [reasonLine(b), verificationLine(events, b)];
  const ai = aiLine(b);
  if (ai) lines.push(ai);
  const agent = agentLine(events);
  if (agent) lines.push(agent);
  lines.push(outcomeLine(events, b));
  return lines.join('\n');
}

function reasonLine(b: HandoffBrief): string {
  return `Reason for call: the caller ${lowerFirst(b.wants).replace(/\.$/, '')}.`;
}

function verificationLine(events: readonly AnySessionEvent[], b: HandoffBrief): string {
  const { caller } = b;
  if (caller.verified) {
    const method = caller.verificationMethod ? ` by ${METHOD_WORDS[caller.verificationMethod]}` : '';
    const who = caller.nameVerified && caller.name ? `${caller.name}, ` : '';
    return `Identity verified${method} (${who}customer ${caller.customerId ?? 'unknown'}).`;
  }
  const failures = events.filter((e) => e.type === 'identity.verification_failed').length;
  return failures > 0
    ? `Identity not verified after ${failures} failed attempt${failures === 1 ? '' : 's'}; no account details were discussed.`
    : 'Identity not verified; no account details were discussed.';
}

function aiLine(b: HandoffBrief): string | undefined {
  // Matching the caller ID to an account is routine; the record has room only for what helped the caller.
  const actions = b.aiActions.filter((a) => !a.startsWith('Matched '));
  if (actions.length === 0) return undefined;
  const shown = actions.slice(0, MAX_AI_ACTIONS).map(lowerFirst);
  const more = actions.length > MAX_AI_ACTIONS ? `, and ${actions.length - MAX_AI_ACTIONS} more` : '';
  return `The AI assistant ${shown.join('; ')}${more}.`;
}

/** What the person on the call did: spoken lines, plus transfers, holds and notes when the log has them. */
function agentLine(events: readonly AnySessionEvent[]): string | undefined {
  const deeds: string[] = [];
  let spoken = 0;
  let lastWords: string | undefined;
  for (const event of events) {
    if (event.type === 'transcript.final') {
      if (event.data.speaker === 'agent') {
        spoken += 1;
        lastWords = event.data.text;
      }
      continue;
    }
    if (event.type === 'state.changed') {
      if (event.data.to === 'agent') deeds.push('took the call');
      continue;
    }
    const deed = describeOtherEvent(event.type as string, event.data as unknown);
    if (deed) deeds.push(deed);
  }
  if (spoken === 0 && deeds.length === 0) return undefined;
  const said =
    spoken > 0 ? `spoke with the caller (${spoken} line${spoken === 1 ? '' : 's'}), last saying ${quote(lastWords ?? '', QUOTE_MAX)}` : '';
  return `The agent ${[...dedupeAdjacent(deeds), ...(said ? [said] : [])].join(', ')}.`;
}

// Event names the agent desktop and routing may log that this contract does not list yet.
// Matching on the name keeps the draft useful when they arrive, without a code change here.
function describeOtherEvent(type: string, data: unknown): string | undefined {
  const d = typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
  const target = firstString(d, ['toQueue', 'queue', 'to', 'target', 'agentName', 'toAgent']);
  if (/\b(unhold|resumed?|retrieved?)\b|hold\.(ended|released)|off_hold/.test(type)) return 'took the caller off hold';
  if (/\bhold|held\b/.test(type)) return 'put the caller on hold';
  if (/transfer/.test(type)) return `transferred the call${target ? ` to ${target}` : ''}`;
  if (/note/.test(type)) {
    const text = firstString(d, ['text', 'note']);
    return text ? `added a note: ${quote(text, QUOTE_MAX)}` : 'added a note';
  }
  if (/disposition/.test(type)) {
    const code = firstString(d, ['disposition', 'code', 'outcome']);
    return code ? `set the disposition to ${code}` : 'set a disposition';
  }
  return undefined;
}

function outcomeLine(events: readonly AnySessionEvent[], b: HandoffBrief): string {
  const ended = events.findLast((e) => e.type === 'session.ended');
  const tookCall = events.some((e) => e.type === 'state.changed' && e.data.to === 'agent');
  const e = b.escalation;
  const escalated = e ? `escalated to the ${e.queue} queue (${e.reason.replace(/_/g, ' ')}: ${e.detail})` : '';
  let outcome: string;
  if (ended?.type === 'session.ended') {
    const handled = e
      ? tookCall
        ? `${escalated} and handled by an agent`
        : `${escalated}, but the call ended before an agent took it`
      : 'handled by the AI without a person';
    outcome = `Outcome: ${handled}; ${ENDED_BY[ended.data.by]} ended the call (${ended.data.reason}).`;
  } else if (e && tookCall && events.some((x) => x.type === 'wrapup.started')) {
    // The caller has gone and the agent is writing this very wrap-up: the call is over.
    outcome = `Outcome: ${escalated} and handled by an agent; the call has ended and the agent is wrapping up.`;
  } else if (e) {
    outcome = `Outcome: ${escalated}${tookCall ? ', now with an agent' : ', waiting for an agent'}.`;
  } else {
    outcome = 'Outcome: still with the AI, not escalated.';
  }
  // Promises made on the call are the next step whoever picks the record up next.
  const nextSteps: string[] = [];
  for (const action of b.aiActions) {
    const ticket = /^Opened ticket ([^\s:]+)/.exec(action);
    if (ticket) nextSteps.push(`follow up on ticket ${ticket[1]}`);
    const callback = /^Scheduled a callback to (.+)$/.exec(action);
    if (callback) nextSteps.push(`call the caller back at ${callback[1]}`);
  }
  return nextSteps.length > 0 ? `${outcome} Next step: ${nextSteps.join('; ')}.` : outcome;
}

function firstString(d: Record<string, unknown>, keys: readonly string[]): string | undefined {
  for (const key of keys) {
    const value = d[key];
    if (typeof value === 'string' && value.trim()) return value.trim();
  }
  return undefined;
}

function dedupeAdjacent(items: readonly string[]): string[] {
  return items.filter((item, i) => item !== items[i - 1]);
}
