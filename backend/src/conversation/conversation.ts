// One Conversation per call or text session: the turn loop, the state machine, and the
// session log. It knows nothing about audio — text (scenarios, chat) and speech (carriers)
// drive the same object. Policy rules run here, around whichever brain provider decides.
import type { ConversationState, EscalationReason, QueueSkill, SessionChannel, ToolName } from '../../../contracts/conversation';
import type { Customer } from '../../../contracts/crm';
import type { Brain, BrainReply, CallerInput, HistoryEntry, KnowledgeLookup } from '../brain/brain';
import { detectInjection } from '../brain/injection';
import { queueFor } from '../brain/intents';
import {
  asksForHuman,
  ESCALATION_LINES,
  findDisclosures,
  matchPolicyTopic,
  type PolicyConfig,
} from '../brain/policy';
import { scoreSentiment, type Mood } from '../policy/sentiment';
import type { Crm } from '../crm/crm-port';
import type { SessionStore } from '../store/session-store';
import { CallerState } from './caller-state';
import { assertTransition } from './state-machine';
import { ToolBox } from './tool-box';

export interface ConversationDeps {
  store: SessionStore;
  crm: Crm;
  knowledge: KnowledgeLookup;
  brain: Brain;
  policy: PolicyConfig;
  companyName: string;
}

export interface StartOptions {
  channel: SessionChannel;
  callerId: string;
  callerName?: string | null;
  sessionId?: string;
}

/** What the AI did in one turn. */
export interface AiTurn {
  turn: number;
  messages: string[];
  text: string;
  citations: string[];
  tools: ToolName[];
  escalated?: { reason: EscalationReason; detail: string; queue: QueueSkill };
  ended: boolean;
  verified: boolean;
  state: ConversationState;
}

const QUEUED_LINE = "You're in the queue for a person, and they'll be with you as soon as possible. Please stay on the line.";

export class Conversation {
  readonly sessionId: string;
  readonly #deps: ConversationDeps;
  readonly #caller: CallerState;
  readonly #tools: ToolBox;
  readonly #history: HistoryEntry[] = [];
  #state: ConversationState = 'ai';
  #turn = 0;
  #aiTurns = 0;
  #unanswered = 0;
  #negativeTurns = 0;
  #escalation: AiTurn['escalated'];
  #moods: Mood[] = [];
  #lastIntent = 'greeting';
  #pendingMessages: string[] = [];
  greeting!: AiTurn;

  private constructor(deps: ConversationDeps, sessionId: string, callerId: string) {
    this.#deps = deps;
    this.sessionId = sessionId;
    this.#caller = new CallerState(callerId);
    this.#tools = new ToolBox({
      sessionId,
      crm: deps.crm,
      store: deps.store,
      caller: this.#caller,
      currentTurn: () => this.#turn,
      onVerified: (customer, method) => this.#onVerified(customer, method),
      onVerificationFailed: (method) => this.#onVerificationFailed(method),
    });
  }

  /** Opens the session, looks the caller up by caller ID, and greets them. */
  static async start(deps: ConversationDeps, opts: StartOptions): Promise<Conversation> {
    const session = await deps.store.createSession({
      ...(opts.sessionId ? { id: opts.sessionId } : {}),
      channel: opts.channel,
      callerId: opts.callerId,
      callerName: opts.callerName ?? null,
    });
    const conversation = new Conversation(deps, session.id, opts.callerId);
    await deps.store.appendEvent(session.id, 'session.started', {
      channel: opts.channel,
      callerId: opts.callerId,
      ...(opts.callerName ? { callerName: opts.callerName } : {}),
    });
    await conversation.#startTurn();
    const lookup = await conversation.#tools.call<{ customerId: string | null }>('lookup_customer', {
      phone: opts.callerId,
    });
    if (lookup.ok && lookup.result.customerId) {
      await deps.store.updateSession(session.id, { customerId: lookup.result.customerId });
    }
    const greeting = deps.brain.greet({ companyName: deps.companyName });
    conversation.greeting = await conversation.#say({
      messages: [greeting],
      citations: [],
      intent: 'greeting',
      queue: 'general',
      answered: true,
    });
    return conversation;
  }

  /**
   * An outbound call an agent placed: the session starts with the person (state `agent`),
   * the number is looked up so the agent sees the CRM record, and the AI never speaks.
   */
  static async startOutbound(deps: ConversationDeps, opts: { callerId: string; agentId: string }): Promise<Conversation> {
    const session = await deps.store.createSession({ channel: 'voice', callerId: opts.callerId, state: 'agent' });
    const conversation = new Conversation(deps, session.id, opts.callerId);
    conversation.#state = 'agent';
    await deps.store.appendEvent(session.id, 'session.started', {
      channel: 'voice',
      callerId: opts.callerId,
      direction: 'outbound',
      agentId: opts.agentId,
    });
    await conversation.#startTurn();
    const lookup = await conversation.#tools.call<{ customerId: string | null }>('lookup_customer', { phone: opts.callerId });
    if (lookup.ok && lookup.result.customerId) await deps.store.updateSession(session.id, { customerId: lookup.result.customerId });
    conversation.greeting = { turn: conversation.#turn, messages: [], text: '', citations: [], tools: [], ended: false, verified: false, state: 'agent' };
    return conversation;
  }

  get state(): ConversationState {
    return this.#state;
  }
  get verified(): boolean {
    return this.#caller.verified;
  }
  get turn(): number {
    return this.#turn;
  }
  get escalation(): AiTurn['escalated'] {
    return this.#escalation;
  }
  get history(): readonly HistoryEntry[] {
    return this.#history;
  }
  get candidateCustomerId(): string | undefined {
    return this.#caller.candidate?.id;
  }
  get moods(): readonly Mood[] {
    return this.#moods;
  }
  get lastIntent(): string {
    return this.#lastIntent;
  }

  /** One caller turn: what they said (or keyed), and what the AI does about it. */
  async handle(input: CallerInput): Promise<AiTurn> {
    if (this.#state === 'ended') {
      throw new Error(`Session ${this.sessionId} has ended; start a new conversation to talk again.`);
    }
    await this.#startTurn();
    const turn = this.#turn;
    if (input.kind === 'dtmf') {
      await this.#deps.store.appendEvent(this.sessionId, 'caller.dtmf', { turn, digits: input.digits });
    } else {
      await this.#deps.store.appendEvent(this.sessionId, 'caller.said', { turn, text: input.text, source: input.kind });
    }
    const text = input.kind === 'dtmf' ? input.digits : input.text;
    this.#history.push({ speaker: 'caller', text: input.kind === 'dtmf' ? `[keyed ${input.digits}]` : input.text });

    if (this.#state !== 'ai') {
      // A person owns the call now; the AI only reassures a caller still waiting.
      const waiting = this.#state === 'queued' || this.#state === 'offered';
      return this.#say({ messages: waiting ? [QUEUED_LINE] : [], citations: [], intent: 'queued', queue: 'general', answered: true });
    }

    let suspicious = false;
    if (input.kind !== 'dtmf') {
      const injection = detectInjection(input.text);
      suspicious = injection.suspicious;
      if (injection.suspicious) {
        await this.#deps.store.appendEvent(this.sessionId, 'security.suspicious', {
          turn,
          text: input.text,
          patterns: injection.patterns,
        });
      }
    }

    // Policy first: these rules hold whatever the brain would have said.
    if (asksForHuman(input)) return this.#escalate('caller_request', input.kind === 'dtmf' ? 'pressed 0' : 'asked for a person', text);
    if (input.kind !== 'dtmf') {
      const topic = matchPolicyTopic(input.text, this.#deps.policy.policyTopics);
      if (topic) return this.#escalate('policy_topic', topic, text);
      const sentiment = scoreSentiment(input.text);
      this.#moods.push(sentiment.mood);
      this.#negativeTurns = sentiment.score < 0 ? this.#negativeTurns + 1 : 0;
      if (sentiment.mood === 'upset' || (sentiment.mood === 'negative' && this.#negativeTurns >= 2)) {
        return this.#escalate('negative_sentiment', `caller sounded ${sentiment.mood} (${sentiment.words.join(', ')})`, text);
      }
    }
    if (this.#aiTurns >= this.#deps.policy.maxTurns) {
      return this.#escalate('max_turns', `${this.#aiTurns} AI turns without resolution`, text);
    }

    let reply: BrainReply;
    try {
      const callerState = this.#caller;
      reply = await this.#deps.brain.respond({
        turn,
        input,
        history: this.#history,
        // A live view: after verify_identity succeeds mid-turn the brain sees the account.
        get caller() {
          return callerState.view();
        },
        tools: this.#tools,
        knowledge: this.#deps.knowledge,
      });
    } catch (err) {
      await this.#deps.store.appendEvent(this.sessionId, 'media.error', {
        stage: 'brain',
        message: err instanceof Error ? err.message : String(err),
      });
      return this.#escalate('ai_error', `the ${this.#deps.brain.provider} brain failed`, text);
    }
    this.#lastIntent = reply.intent;
    reply = await this.#guardDisclosure(reply, turn);

    // An attempt to instruct the assistant is not a question the knowledge base failed.
    if (reply.knowledgeGap && !suspicious) {
      await this.#deps.store.appendEvent(this.sessionId, 'knowledge.gap', { turn, ...reply.knowledgeGap });
    }
    this.#unanswered = reply.answered || suspicious ? 0 : this.#unanswered + 1;
    if (this.#caller.verificationFailures >= this.#deps.policy.maxVerificationFailures && !this.#caller.verified) {
      // The brain's "please try again" no longer applies: a person takes over.
      return this.#escalate('verification_failed', `${this.#caller.verificationFailures} failed verifications`, text, {
        ...reply,
        messages: [],
      });
    }
    if (this.#unanswered >= this.#deps.policy.lowConfidenceTurns) {
      return this.#escalate('low_confidence', `${this.#unanswered} turns in a row without an answer`, text, {
        ...reply,
        messages: [],
      });
    }
    if (reply.escalate) return this.#escalate(reply.escalate.reason, reply.escalate.detail, text, reply);
    if (reply.endCall) {
      await this.#tools.call('end_call', { reason: 'caller finished' });
      const said = await this.#say(reply);
      await this.end('ai', 'caller finished');
      return { ...said, ended: true, state: this.#state };
    }
    return this.#say(reply);
  }

  /** The voice layer reports that the caller heard only part of an AI turn (barge-in or hang-up). */
  async recordInterruption(turn: number, heardText: string, plannedText: string, heardMs: number): Promise<void> {
    await this.#deps.store.appendEvent(this.sessionId, 'ai.interrupted', { turn, heardText, plannedText, heardMs });
    // History keeps only what the caller actually heard.
    for (let i = this.#history.length - 1; i >= 0; i--) {
      const entry = this.#history[i]!;
      if (entry.speaker === 'ai' && entry.text === plannedText) {
        if (heardText.trim()) entry.text = heardText;
        else this.#history.splice(i, 1);
        break;
      }
    }
  }

  /** Moves the call along its life cycle (routing and the agent app drive the later states). */
  async transition(to: ConversationState): Promise<void> {
    const from = this.#state;
    assertTransition(from, to);
    this.#state = to;
    await this.#deps.store.appendEvent(this.sessionId, 'state.changed', { from, to });
    await this.#deps.store.updateSession(this.sessionId, { state: to, ...(to === 'ended' ? { endedAt: new Date() } : {}) });
  }

  /** Ends the session from any state: caller hung up, the AI finished, or the system stopped it. */
  async end(by: 'caller' | 'ai' | 'agent' | 'system', reason: string): Promise<void> {
    if (this.#state === 'ended') return;
    await this.#deps.store.appendEvent(this.sessionId, 'session.ended', { by, reason });
    await this.transition('ended');
  }

  async #startTurn(): Promise<void> {
    this.#turn += 1;
    this.#tools.calledThisTurn.length = 0;
  }

  async #say(reply: BrainReply): Promise<AiTurn> {
    const messages = [...this.#pendingMessages, ...reply.messages].filter((m) => m.trim().length > 0);
    this.#pendingMessages = [];
    const text = messages.join(' ');
    if (text) {
      this.#aiTurns += reply.intent === 'greeting' || reply.intent === 'queued' ? 0 : 1;
      await this.#deps.store.appendEvent(this.sessionId, 'ai.said', {
        turn: this.#turn,
        text,
        citations: reply.citations,
        intent: reply.intent,
      });
      this.#history.push({ speaker: 'ai', text });
    }
    return {
      turn: this.#turn,
      messages,
      text,
      citations: reply.citations,
      tools: [...this.#tools.calledThisTurn],
      ...(this.#escalation ? { escalated: this.#escalation } : {}),
      ended: this.#state === 'ended',
      verified: this.#caller.verified,
      state: this.#state,
    };
  }

  async #escalate(reason: EscalationReason, detail: string, callerText: string, reply?: BrainReply): Promise<AiTurn> {
    const queue = reply?.queue && reply.queue !== 'general' ? reply.queue : queueFor(callerText + ' ' + this.#lastIntent);
    await this.#tools.call('escalate', { reason, detail });
    this.#escalation = { reason, detail, queue };
    await this.#deps.store.appendEvent(this.sessionId, 'call.escalated', {
      reason,
      detail,
      intent: reply?.intent ?? this.#lastIntent,
      queue,
    });
    await this.#deps.store.updateSession(this.sessionId, { escalationReason: reason });
    await this.transition('queued');
    const lead = reply?.messages.filter((m) => m.trim()) ?? [];
    return this.#say({
      messages: [...lead, ESCALATION_LINES[reason]],
      citations: reply?.citations ?? [],
      intent: reply?.intent ?? 'escalate',
      queue,
      answered: true,
    });
  }

  /** No provider may say account data before verification: such a reply is replaced. */
  async #guardDisclosure(reply: BrainReply, turn: number): Promise<BrainReply> {
    if (this.#caller.verified || !this.#caller.candidate) return reply;
    const text = reply.messages.join(' ');
    const customer = this.#caller.candidate;
    const [orders, tickets] = await Promise.all([
      this.#deps.crm.listOrders(customer.id),
      this.#deps.crm.listTickets(customer.id),
    ]);
    // A cited knowledge answer is public text: a generic product or tier word in it ("Gold
    // members get free Express shipping") is not this caller's data, and refusing it would
    // itself reveal what the caller-ID customer owns.
    const leaked = findDisclosures(text, { customer, orders, tickets }).filter(
      (kind) => reply.citations.length === 0 || (kind !== 'order_item' && kind !== 'tier'),
    );
    if (leaked.length === 0) return reply;
    await this.#deps.store.appendEvent(this.sessionId, 'security.suspicious', {
      turn,
      text: `blocked an AI reply before verification (${leaked.join(', ')})`,
      patterns: ['disclosure_blocked'],
    });
    return {
      ...reply,
      messages: ['Before I can discuss your account, I need to verify your identity. Please tell me the zip code or date of birth on the account.'],
      citations: [],
    };
  }

  async #onVerified(customer: Customer, method: 'zip' | 'dob'): Promise<void> {
    await this.#deps.store.appendEvent(this.sessionId, 'identity.verified', { customerId: customer.id, method });
    await this.#deps.store.updateSession(this.sessionId, { verified: true, customerId: customer.id });
  }

  async #onVerificationFailed(method: 'zip' | 'dob' | 'unknown'): Promise<void> {
    await this.#deps.store.appendEvent(this.sessionId, 'identity.verification_failed', {
      attempt: this.#caller.verificationFailures,
      method,
    });
  }
}
