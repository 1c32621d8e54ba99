// The handoff brief and the wrap-up summary of a finished session, rebuilt from its event
// log (the backend builds the live brief at escalation time and does not store it). It
// gives what the log states outright: the caller, verification, what they wanted (the
// escalation intent), what the AI did (its tool calls), why it handed over, and the
// agent's wrap-up. Mood is not rebuilt here: it needs the backend's sentiment lexicon, and
// the dashboards' sentiment figures already carry it. Pure, for Node tests.
import type { AnySessionEvent } from '../../../contracts/events';

export interface ReviewBrief {
  callerName: string | null;
  phone: string;
  customerId: string | null;
  verifiedBy: 'zip' | 'dob' | null;
  wants: string | null;
  aiActions: string[];
  escalation: { reason: string; detail: string; queue: string } | null;
  knowledgeGaps: string[];
}

export interface WrapUpSummary {
  agentName: string | null;
  disposition: string;
  notes: string;
  followUp: string | null;
  wrapUpMs: number;
}

const toolWords: Record<string, string> = {
  lookup_customer: 'Looked up the customer',
  verify_identity: 'Checked identity',
  order_status: 'Checked an order',
  list_orders: 'Listed orders',
  create_ticket: 'Created a ticket',
  schedule_callback: 'Scheduled a callback',
  escalate: 'Escalated',
  end_call: 'Ended the call',
};

export function rebuildBrief(events: readonly AnySessionEvent[]): ReviewBrief {
  const brief: ReviewBrief = { callerName: null, phone: '', customerId: null, verifiedBy: null, wants: null, aiActions: [], escalation: null, knowledgeGaps: [] };
  let accepted = false;
  for (const e of events) {
    switch (e.type) {
      case 'session.started':
        brief.callerName = e.data.callerName ?? null;
        brief.phone = e.data.callerId;
        break;
      case 'identity.verified':
        brief.customerId = e.data.customerId;
        brief.verifiedBy = e.data.method;
        break;
      case 'tool.called':
        // What the AI did before a person joined; the agent's own actions are on the timeline.
        if (!accepted && e.data.name !== 'escalate')
          brief.aiActions.push(`${toolWords[e.data.name] ?? e.data.name}${e.data.ok ? '' : ' (failed)'}`);
        break;
      case 'call.escalated':
        if (!brief.escalation) brief.escalation = { reason: e.data.reason, detail: e.data.detail, queue: e.data.queue };
        if (e.data.intent && !brief.wants) brief.wants = e.data.intent.replaceAll('_', ' ');
        break;
      case 'ai.said':
        if (e.data.intent && !accepted) brief.wants = e.data.intent.replaceAll('_', ' ');
        break;
      case 'knowledge.gap':
        brief.knowledgeGaps.push(e.data.question);
        break;
      case 'agent.accepted':
        accepted = true;
        break;
    }
  }
  brief.aiActions = [...new Set(brief.aiActions)];
  return brief;
}

export function wrapUpSummary(events: readonly AnySessionEvent[]): WrapUpSummary | null {
  const names = new Map<string, string>();
  let last: WrapUpSummary | null = null;
  for (const e of events) {
    if (e.type === 'agent.accepted') names.set(e.data.agentId, e.data.agentName);
    if (e.type === 'wrapup.submitted') {
      const f = e.data.followUp;
      last = {
        agentName: names.get(e.data.agentId) ?? null,
        disposition: e.data.disposition,
        notes: e.data.notes,
        followUp: f.kind === 'none' ? null : `${f.kind}${f.id ? ` ${f.id}` : ''}`,
        wrapUpMs: e.data.wrapUpMs,
      };
    }
  }
  return last;
}
