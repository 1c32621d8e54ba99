// The synthetic call-center history behind `npm run seed` and `bench -- dashboards`: seed
// users (agents in teams, a lead per team, an admin) and one session at a time — AI-contained
// calls, escalations with reasons, offers (declined, expired), holds, transfers, transcripts,
// suggestions, wrap-ups, abandoned calls and callbacks, spread evenly over the last N days.
// Each store has its own writer (seed.ts for SQLite, seed-postgres.ts for PostgreSQL); both
// draw from this one generator, so the two engines are measured on the same history.
import type { AnySessionEvent } from '../contracts/events';
import { seededRandom } from './seeded-random';

export interface SeedUser {
  id: string;
  email: string;
  name: string;
  role: 'agent' | 'lead' | 'admin';
  team: string;
  skills: string;
}

/** A seed user as a writer returns it (the id the store kept). */
export interface SeededUser {
  id: string;
  email: string;
  team: string;
  role: string;
}

export interface SyntheticCallback {
  id: string;
  sessionId: string;
  phone: string;
  reason: string;
  status: 'done' | 'pending';
  createdAt: string;
  dueAt: string;
}

export interface SyntheticSession {
  id: string;
  sid: number;
  channel: string;
  callerId: string;
  callerName: string;
  verified: boolean;
  state: 'ended';
  escalationReason: string | null;
  events: AnySessionEvent[];
  /** Agents who took the call (session_agents), in order. */
  joined: Array<{ agentId: string; at: string }>;
  callbacks: SyntheticCallback[];
}

const TEAMS = ['north', 'south', 'east', 'west', 'central'];
const FIRST = ['Ava', 'Ben', 'Chloe', 'Dev', 'Elena', 'Farid', 'Grace', 'Hugo', 'Iris', 'Jonas', 'Kira', 'Liam', 'Maya', 'Noah', 'Olga', 'Pavel'];
const LAST = ['Stone', 'Rivera', 'Okafor', 'Lind', 'Moreau', 'Tanaka', 'Silva', 'Novak'];
const REASONS = ['caller_request', 'negative_sentiment', 'low_confidence', 'policy_topic', 'verification_failed', 'max_turns'] as const;
const QUEUES = ['billing', 'orders', 'general'] as const;
const INTENTS: Array<{ intent: string; queue: (typeof QUEUES)[number]; ask: string[] }> = [
  { intent: 'order_status', queue: 'orders', ask: ['Where is my order? It was supposed to arrive yesterday.', 'I want to track my package please.', 'My delivery is late again.'] },
  { intent: 'refund', queue: 'billing', ask: ['I need a refund for a damaged blender.', 'You charged me twice, I want my money back.', 'How long does a refund take?'] },
  { intent: 'billing_question', queue: 'billing', ask: ['Why is my invoice higher this month?', 'Can I change the card on my account?', 'There is a fee I do not recognise.'] },
  { intent: 'returns', queue: 'orders', ask: ['How do I return a jacket that does not fit?', 'I want to send back the headphones.', 'Can I exchange the shoes for a bigger size?'] },
  { intent: 'account', queue: 'general', ask: ['I cannot log in to my account.', 'Please update my address.', 'I want to close my account.'] },
];
const GAPS = [
  'Do you ship to Canada?', 'Can you ship to canada please', 'Do you offer gift wrapping?', 'Is there a student discount?', 'Do you have a student discount',
  'Can I pay with PayPal?', 'Can I pay using paypal', 'What is the warranty on the espresso machine?', 'Warranty for espresso machines?', 'Do you price match other stores?',
  'Are your products vegan?', 'Can I pick up my order in store?',
];
const CALLER_LINES = ['Yes that is right.', 'Okay, thanks.', 'This is really frustrating, it is the third time.', 'Great, that helps a lot.', 'I am not happy about this.', 'Can you check again?', 'Perfect, thank you so much.', 'Fine.'];
const AGENT_LINES = ['Thanks for waiting, I have your account open.', 'I am sorry about that, let me fix it.', 'I have issued the refund, it takes three to five days.', 'Your order ships tomorrow with express delivery.', 'Is there anything else I can help with?', 'I have updated the address on file.'];
const DISPOSITIONS = ['resolved', 'resolved', 'resolved', 'follow_up', 'refund_issued', 'escalated_to_tier2', 'no_resolution'];


/** Agents in teams (perTeam each), one lead per team and one admin; ids are stable across runs. */
export function seedUsers(teamCount = 3, perTeam = 8): SeedUser[] {
  const out: SeedUser[] = [];
  const skills = JSON.stringify(QUEUES);
  let n = 0;
  for (const team of TEAMS.slice(0, teamCount)) {
    for (let i = 0; i < perTeam; i++) {
      const name = `${FIRST[n % FIRST.length]} ${LAST[(n * 3) % LAST.length]}`;
      out.push({ id: `seed-agent-${team}-${i + 1}`, email: `seed.${team}.${i + 1}@switchboard.test`, name, role: 'agent', team, skills });
      n++;
    }
    out.push({ id: `seed-lead-${team}`, email: `seed.${team}.lead@switchboard.test`, name: `Lead ${team}`, role: 'lead', team, skills });
  }
  out.push({ id: 'seed-admin', email: 'seed.admin@switchboard.test', name: 'Seed Admin', role: 'admin', team: 'default', skills: '["general"]' });
  return out;
}

export interface HistoryPlan {
  /** Sessions to write; session i starts i × (days / sessions) after the start of the window. */
  sessions: number;
  days: number;
  /** The sid of session 0 (one past the store's highest). */
  baseSid: number;
  /** Distinguishes this run's session ids from an earlier run's in the same store. */
  runTag: string;
  now: number;
  /** The users as the store kept them. */
  users: SeededUser[];
}

/** Returns session i of the plan; call in order 0, 1, 2, … (one random stream). */
export function historyGenerator(plan: HistoryPlan): (i: number) => SyntheticSession {
  const agentPool = plan.users.filter((a) => a.role === 'agent');
  const nameOf = new Map<string, string>(plan.users.map((a) => [a.id, a.email]));
  const rand = seededRandom(plan.baseSid * 7919 + plan.sessions);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const startMs = plan.now - plan.days * 86_400_000;
  const step = (plan.days * 86_400_000) / Math.max(1, plan.sessions);

  return (i) => {
    const sid = plan.baseSid + i;
    const id = `seed-${plan.runTag}-${String(i).padStart(9, '0')}`;
    let t = Math.floor(startMs + i * step);
    const events: AnySessionEvent[] = [];
    const joined: SyntheticSession['joined'] = [];
    const callbacks: SyntheticCallback[] = [];
    const add = (type: string, data: unknown, afterMs: number): void => {
      t += afterMs;
      events.push({ sessionId: id, seq: events.length + 1, type, at: new Date(t).toISOString(), data } as AnySessionEvent);
    };
    const callerId = `+1555${String(Math.floor(rand() * 1e7)).padStart(7, '0')}`;
    const topic = pick(INTENTS);
    const verified = rand() < 0.7;
    const channel = rand() < 0.85 ? 'voice' : 'text';
    const callerName = `${pick(FIRST)} ${pick(LAST)}`;
    add('session.started', { channel, callerId, callerName }, 0);
    add('ai.said', { turn: 0, text: 'Hi, you are speaking with the automated assistant. How can I help?', citations: [] }, 500);
    add('caller.said', { turn: 1, text: pick(topic.ask), source: 'speech' }, 4000 + rand() * 4000);
    if (verified) add('identity.verified', { customerId: `C-${1000 + Math.floor(rand() * 500)}`, method: rand() < 0.5 ? 'zip' : 'dob' }, 3000);
    if (rand() < 0.12) add('knowledge.gap', { turn: 1, question: pick(GAPS), bestScore: rand() * 0.3 }, 200);
    add('ai.said', { turn: 1, text: `I can help with that. Let me look into your ${topic.intent.replace('_', ' ')}.`, citations: [], intent: topic.intent }, 1500);
    const kind = rand();
    let reason: string | null = null;
    if (kind < 0.42) {
      add('caller.said', { turn: 2, text: pick(['Thanks, that is all.', 'Great, thank you.', 'Okay, bye.']), source: 'speech' }, 5000 + rand() * 20000);
      add('ai.said', { turn: 2, text: 'Glad I could help. Goodbye!', citations: [] }, 1000);
      add('state.changed', { from: 'ai', to: 'ended' }, 500);
      add('session.ended', { by: 'ai', reason: 'resolved' }, 10);
    } else {
      reason = pick(REASONS);
      add('caller.said', { turn: 2, text: pick(CALLER_LINES), source: 'speech' }, 4000 + rand() * 8000);
      add('call.escalated', { reason, detail: 'synthetic', intent: topic.intent, queue: topic.queue }, 500);
      add('state.changed', { from: 'ai', to: 'queued' }, 10);
      add('queue.entered', { queue: topic.queue, position: 1 + Math.floor(rand() * 4), reason }, 10);
      // Waits: mostly short, a long tail (service level ≈ 80 % at 20 s).
      const wait = rand() < 0.8 ? rand() * 20_000 : 20_000 + rand() * rand() * 300_000;
      const outcome = rand();
      if (outcome < 0.07) {
        const a = pick(agentPool);
        add('offer.sent', { offerId: `o${sid}a`, agentId: a.id, agentName: nameOf.get(a.id), expiresAt: new Date(t + 20_000).toISOString() }, 1000);
        add('offer.expired', { offerId: `o${sid}a`, agentId: a.id }, 20_000);
        add('hold.announced', { position: 1, estimatedWaitMs: 60_000 }, 5000);
        add('session.ended', { by: 'caller', reason: 'hung up in queue' }, wait);
      } else if (outcome < 0.1) {
        add('callback.offered', { afterMs: 60_000 }, 60_000);
        const cb = `CB-${sid}`;
        add('callback.scheduled', { callbackId: cb, phone: callerId, customerId: null }, 5000);
        callbacks.push({ id: cb, sessionId: id, phone: callerId, reason: topic.intent, status: rand() < 0.6 ? 'done' : 'pending', createdAt: new Date(t).toISOString(), dueAt: new Date(t + 3_600_000).toISOString() });
        add('session.ended', { by: 'system', reason: 'callback scheduled' }, 1000);
      } else {
        let agent = pick(agentPool);
        if (rand() < 0.1) {
          add('offer.sent', { offerId: `o${sid}d`, agentId: agent.id, agentName: nameOf.get(agent.id), expiresAt: new Date(t + 20_000).toISOString() }, wait / 3);
          add('offer.declined', { offerId: `o${sid}d`, agentId: agent.id }, 2000);
          agent = pick(agentPool);
        }
        add('offer.sent', { offerId: `o${sid}`, agentId: agent.id, agentName: nameOf.get(agent.id), expiresAt: new Date(t + 20_000).toISOString() }, wait / 2);
        add('agent.accepted', { offerId: `o${sid}`, agentId: agent.id, agentName: nameOf.get(agent.id) }, wait / 2);
        joined.push({ agentId: agent.id, at: new Date(t).toISOString() });
        add('state.changed', { from: 'offered', to: 'agent' }, 10);
        let ms = 0;
        add('transcript.final', { speaker: 'agent', text: pick(AGENT_LINES), startMs: ms, endMs: (ms += 4000) }, 4000);
        add('transcript.final', { speaker: 'caller', text: pick(CALLER_LINES), startMs: ms, endMs: (ms += 5000) }, 5000);
        add('suggestion.shown', { afterSeq: events.length, suggestions: [{ id: `s${sid}a`, text: pick(AGENT_LINES), source: 'kb' }, { id: `s${sid}b`, text: pick(AGENT_LINES), source: 'crm' }] }, 300);
        if (rand() < 0.55) add('suggestion.used', { agentId: agent.id, suggestionId: `s${sid}a` }, 3000);
        if (rand() < 0.2) {
          add('call.held', { agentId: agent.id, held: true }, 10_000);
          add('call.held', { agentId: agent.id, held: false }, 15_000 + rand() * 60_000);
        }
        if (rand() < 0.06) {
          const from = agent;
          const next = pick(agentPool.filter((a) => a.id !== from.id));
          add('call.transferred', { fromAgentId: agent.id, to: { queue: topic.queue }, note: 'needs specialist' }, 20_000);
          add('queue.entered', { queue: topic.queue, position: 1, reason: 'transfer' }, 10);
          add('agent.accepted', { offerId: `o${sid}t`, agentId: next.id, agentName: nameOf.get(next.id) }, 8000 + rand() * 20_000);
          joined.push({ agentId: next.id, at: new Date(t).toISOString() });
          agent = next;
        }
        add('transcript.final', { speaker: 'agent', text: pick(AGENT_LINES), startMs: ms, endMs: (ms += 6000) }, 30_000 + rand() * 240_000);
        add('transcript.final', { speaker: 'caller', text: pick(CALLER_LINES), startMs: ms, endMs: (ms += 3000) }, 3000);
        add('wrapup.started', { agentId: agent.id }, 2000);
        const wrap = 15_000 + rand() * 90_000;
        add('wrapup.submitted', { agentId: agent.id, disposition: pick(DISPOSITIONS), notes: 'Synthetic call.', followUp: { kind: 'none' }, wrapUpMs: Math.round(wrap) }, wrap);
        if (rand() < 0.7) add('recording.saved', { path: `recordings/${id}.wav`, durationMs: 120_000, channels: { left: 'caller', right: 'ai_and_agent' } }, 100);
        add('session.ended', { by: 'agent', reason: 'wrap-up' }, 10);
        add('state.changed', { from: 'wrap-up', to: 'ended' }, 1);
      }
    }
    return { id, sid, channel, callerId, callerName, verified, state: 'ended', escalationReason: reason, events, joined, callbacks };
  };
}
