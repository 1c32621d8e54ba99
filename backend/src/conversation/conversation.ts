// One Conversation per call or text session: the turn loop, the state machine, and the
// session log. It knows nothing about audio — text (scenarios, chat) and speech (carriers)
// drive the same object. Policy rules run here, around whichever brain provider decides.
import type { ConversationState, EscalationReason, QueueSkill, SessionChannel, ToolName } from '../../../contracts/conversation';
import type { Customer } from '../../../contracts/crm';
import type { Brain, BrainReply, BrainTurn, BrainUsage, CallerInput, HistoryEntry, KnowledgeLookup } from '../brain/brain';
import { queueFor } from '../policy/caller-text';
import { detectInjection } from '../policy/injection';
import {
  asksForHuman,
  ESCALATION_LINES,
  POLICY_TOPIC_LEADS,
  matchPolicyTopic,
  type PolicyConfig,
} from '../policy/policy';
import { DisclosureGuard, VERIFY_FIRST_LINE } from '../policy/disclosure-guard';
import { scoreSentiment, type Mood } from '../policy/sentiment';
import type { Crm } from '../crm/crm-port';
import { redactCallerInput } from '../policy/redaction';
import { createSentenceStream } from '../speech/sentences';
import type { SessionStore } from '../store/session-store';
import { findPreviousCall, type PreviousCall } from './call-resume';
import type { ExpectedAnswer } from '../speech/types';
import { CallerState } from './caller-state';
import { expectedAnswerFor } from './expected-answer';
import { assertTransition } from './state-machine';
import { ToolBox } from './tool-box';
import { primaryTag, type LanguageInfo, type Languages } from '../languages/languages';

export interface ConversationDeps {
  store: SessionStore;
  crm: Crm;
  knowledge: KnowledgeLookup;
  brain: Brain;
  policy: PolicyConfig;
  companyName: string;
  /** Call-backs within this many hours resume the previous session (0: never). */
  resumeWindowHours?: number;
  /** The languages served (LANGUAGES); absent: the default language only, no keypad offer. */
  languages?: Languages;
  /** Knowledge in the caller's language, falling back to the default language's. */
  knowledgeFor?: (language: string) => KnowledgeLookup;
  /** Whether the call's voice can say a language (Azure voices: every served one; flite: English). */
  speaks?: (language: string) => boolean;
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

/** Options for one caller turn. */
export interface HandleOptions {
  /** Aborted on barge-in or hang-up: the brain's provider request stops with it. */
  signal?: AbortSignal;
  /** Receives each sentence as soon as the policy released it (the voice path speaks it). */
  onSentence?: (sentence: string) => void;
}

/** What the AI has released to the caller so far this turn, in order. */
class ReleasedSentences {
  readonly sentences: string[] = [];
  /** Time from the turn's start to the first released sentence. */
  firstAtMs: number | undefined;
  readonly #onSentence: ((sentence: string) => void) | undefined;

  constructor(onSentence?: (sentence: string) => void) {
    this.#onSentence = onSentence;
  }

  get count(): number {
    return this.sentences.length;
  }

  push(sentence: string): void {
    this.sentences.push(sentence);
    this.#onSentence?.(sentence);
  }

  asReply(assessment: Omit<BrainReply, 'messages'>): BrainReply {
    return { ...assessment, messages: [...this.sentences] };
  }
}

const QUEUED_LINE = "You're in the queue for a person, and they'll be with you as soon as possible. Please stay on the line.";

/** What an agent's link or verification attempt did (failures counts every attempt on the call, the AI's too). */
export type AgentVerification = { ok: true; failures: number } | { ok: false; code: string; message: string; failures: number };

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
  readonly #guard: DisclosureGuard;
  #previousCall: PreviousCall | undefined;
  #language: LanguageInfo | undefined;
  /** The caller has spoken (or typed) a turn: the greeting's keypad language offer is over. */
  #callerSpoke = false;
  /** Said before this turn's reply (the fallback notice for a language we do not serve). */
  #notice: string | undefined;
  greeting!: AiTurn;

  private constructor(deps: ConversationDeps, sessionId: string, callerId: string) {
    this.#deps = deps;
    this.sessionId = sessionId;
    this.#caller = new CallerState(callerId);
    this.#language = deps.languages?.default;
    this.#guard = new DisclosureGuard(deps.crm);
    this.#tools = new ToolBox({
      sessionId,
      crm: deps.crm,
      store: deps.store,
      caller: this.#caller,
      knowledge: this.#knowledge,
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
    await conversation.#linkPreviousCall(opts.callerId);
    const greeting = deps.brain.greet({ companyName: deps.companyName });
    // Several languages: the greeting offers each by keypad, each offer in its own language.
    const offer = deps.languages?.multilingual ? deps.languages.keypadOffer() : '';
    conversation.greeting = await conversation.#say({
      messages: offer ? [greeting, offer] : [greeting],
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
  /**
   * Told as soon as an escalation is stored, before the session's state and the handover line
   * are written: a carrier can start moving the caller (Twilio's REST update) while they are.
   */
  onEscalationStored: (() => void) | undefined;

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
  /** The caller's language (a locale), the default until identified or chosen. */
  get language(): string {
    return this.#language?.code ?? 'en-US';
  }

  /** Searches in the caller's language first (articles per language, default language as fallback). */
  readonly #knowledge: KnowledgeLookup = ((conversation: Conversation): KnowledgeLookup => ({
    search: (question, limit) => (conversation.#deps.knowledgeFor?.(conversation.language) ?? conversation.#deps.knowledge).search(question, limit),
    get confidenceThreshold() {
      return conversation.#deps.knowledge.confidenceThreshold;
    },
  }))(this);

  /**
   * The caller's language, identified from speech or chosen by keypad. A language we do not
   * serve becomes the fallback language, and the caller is told so, in it, before the reply
   * (once per language they tried).
   */
  async #hearLanguage(requested: string, source: 'speech' | 'keypad'): Promise<void> {
    const languages = this.#deps.languages;
    if (!languages) return;
    const served = languages.find(requested);
    if (served) {
      if (served.code === this.#language?.code) return;
      this.#language = served;
      await this.#deps.store.appendEvent(this.sessionId, 'caller.language', { language: served.code, source });
      return;
    }
    if (this.#unserved.has(requested.toLowerCase())) return;
    this.#unserved.add(requested.toLowerCase());
    const fallback = languages.fallback;
    this.#language = fallback;
    this.#notice = this.#lineIn(fallback, fallback.fallbackNotice);
    await this.#deps.store.appendEvent(this.sessionId, 'caller.language', { language: fallback.code, source, requested });
  }
  readonly #unserved = new Set<string>();

  /** A line in the caller's language when the call's voice can say it, else in English. */
  #lineIn(language: LanguageInfo, line: string, english?: string): string {
    return this.#deps.speaks?.(language.code) === false ? (english ?? line) : line;
  }

  /** The brain cannot answer in the caller's language: a person who speaks it takes over. */
  #needsPersonForLanguage(): boolean {
    const language = this.#language;
    return !!language && this.#deps.brain.answersIn?.(language.code) === false;
  }

  #findPersonLine(): string {
    const language = this.#language!;
    return this.#lineIn(language, language.findPerson, `I'll find a person who speaks ${language.name}. Please stay on the line.`);
  }

  /** Sentences released this turn, the pending language notice first. */
  #released(opts: HandleOptions): ReleasedSentences {
    const released = new ReleasedSentences(opts.onSentence);
    if (this.#notice) released.push(this.#notice);
    this.#notice = undefined;
    return released;
  }

  /** One caller turn: what they said (or keyed), and what the AI does about it. */
  async handle(rawInput: CallerInput, opts: HandleOptions = {}): Promise<AiTurn> {
    // Card numbers and SSNs are masked before the log, the history or the brain sees them.
    const input = redactCallerInput(rawInput);
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

    // The greeting's keypad offer ("para español, oprima 2"): one key before the caller's first words.
    const keyed = input.kind === 'dtmf' && this.#state === 'ai' && !this.#callerSpoke && input.digits.length === 1 ? this.#deps.languages?.byKey(input.digits) : undefined;
    if (input.kind !== 'dtmf') this.#callerSpoke = true;
    if (keyed && this.#deps.languages?.multilingual) {
      this.#callerSpoke = true;
      await this.#hearLanguage(keyed.code, 'keypad');
      if (this.#needsPersonForLanguage()) return this.#escalate('language', `caller chose ${keyed.name} by keypad`, text, undefined, this.#released(opts));
      return this.#say({ messages: [this.#lineIn(keyed, keyed.welcome, 'How can I help you today?')], citations: [], intent: 'greeting', queue: 'general', answered: true }, this.#released(opts));
    }
    if (input.kind !== 'dtmf' && input.language) await this.#hearLanguage(input.language, 'speech');

    if (this.#state !== 'ai') {
      // A person owns the call now; the AI only reassures a caller still waiting.
      const waiting = this.#state === 'queued' || this.#state === 'offered';
      return this.#say({ messages: waiting ? [QUEUED_LINE] : [], citations: [], intent: 'queued', queue: 'general', answered: true }, new ReleasedSentences(opts.onSentence));
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
    const unsaid = this.#released(opts);
    if (asksForHuman(input)) return this.#escalate('caller_request', input.kind === 'dtmf' ? 'pressed 0' : 'asked for a person', text, undefined, unsaid);
    if (input.kind !== 'dtmf') {
      const topic = matchPolicyTopic(input.text, this.#deps.policy.policyTopics);
      if (topic) return this.#escalate('policy_topic', topic, text, undefined, unsaid);
      const sentiment = scoreSentiment(input.text);
      this.#moods.push(sentiment.mood);
      this.#negativeTurns = sentiment.score < 0 ? this.#negativeTurns + 1 : 0;
      if (sentiment.mood === 'upset' || (sentiment.mood === 'negative' && this.#negativeTurns >= 2)) {
        return this.#escalate('negative_sentiment', `caller sounded ${sentiment.mood} (${sentiment.words.join(', ')})`, text, undefined, unsaid);
      }
    }
    if (this.#aiTurns >= this.#deps.policy.maxTurns) {
      return this.#escalate('max_turns', `${this.#aiTurns} AI turns without resolution`, text, undefined, unsaid);
    }
    if (this.#needsPersonForLanguage()) return this.#escalate('language', `caller speaks ${this.#language!.name}`, text, undefined, unsaid);

    return this.#think(input, text, suspicious, unsaid, opts);
  }

  /**
   * Runs the brain's stream for one turn under the policy: text is cut into sentences, each
   * guarded before it is released to `onSentence` (so speech starts while a model still
   * writes), and the turn-level rules apply as soon as what they need is known.
   */
  async #think(input: CallerInput, text: string, suspicious: boolean, released: ReleasedSentences, opts: HandleOptions): Promise<AiTurn> {
    const turn = this.#turn;
    const stop = new AbortController();
    const onCallerAbort = () => stop.abort(opts.signal?.reason);
    opts.signal?.addEventListener('abort', onCallerAbort, { once: true });
    const sentences = createSentenceStream();
    const startedAt = performance.now();
    const usage: BrainUsage[] = [];
    let fallback: string | undefined;
    let assessment: Omit<BrainReply, 'messages'> = { citations: [], intent: 'question', queue: queueFor(text), answered: true };
    let escalate: BrainReply['escalate'];
    let endCall = false;
    let stopped: 'disclosure' | 'verification_failed' | 'low_confidence' | undefined;
    let failure: string | undefined;

    const verificationExhausted = () =>
      !this.#caller.verified && this.#caller.verificationFailures >= this.#deps.policy.maxVerificationFailures;
    const release = async (sentence: string): Promise<boolean> => {
      const guarded = await this.#guardSentence(sentence, assessment.citations, turn);
      if (guarded.blocked) {
        assessment = { ...assessment, citations: [] };
        released.push(guarded.text);
        return false;
      }
      if (released.count === 0) released.firstAtMs = performance.now() - startedAt;
      released.push(sentence);
      return true;
    };

    try {
      const callerState = this.#caller;
      const resumable = () => this.#resumableCall();
      const stream = this.#deps.brain.respond(
        {
          turn,
          input,
          history: this.#history,
          // A live view: after verify_identity succeeds mid-turn the brain sees the account.
          get caller() {
            return callerState.view();
          },
          tools: this.#tools,
          knowledge: this.#knowledge,
          get previousCall() {
            return resumable();
          },
          // An English-only deployment keeps its prompt as it was; otherwise the brain is told.
          ...(this.#language && this.#deps.languages && (this.#deps.languages.multilingual || primaryTag(this.#language.code) !== 'en')
            ? { language: { code: this.#language.code, name: this.#language.name } }
            : {}),
        },
        { signal: stop.signal },
      );
      events: for await (const event of stream) {
        if (stop.signal.aborted) break;
        if (verificationExhausted()) {
          stopped = 'verification_failed';
          break;
        }
        switch (event.type) {
          case 'assessment': {
            const { type: _type, ...known } = event;
            assessment = { ...assessment, ...known };
            if (known.answered === false && !suspicious && this.#unanswered + 1 >= this.#deps.policy.lowConfidenceTurns) {
              stopped = 'low_confidence';
              break events;
            }
            break;
          }
          case 'text':
            for (const sentence of sentences.push(event.text)) {
              if (stop.signal.aborted) break events;
              if (!(await release(sentence))) {
                stopped = 'disclosure';
                break events;
              }
            }
            break;
          case 'escalate':
            escalate = { reason: event.reason, detail: event.detail };
            break;
          case 'usage':
            usage.push(event.usage);
            break;
          case 'fallback':
            fallback = `${event.provider}: ${event.why}`;
            await this.#deps.store.appendEvent(this.sessionId, 'media.error', { stage: 'brain', message: `${event.why}; ${event.provider} answers this turn` });
            break;
          case 'end':
            endCall = event.endCall ?? false;
            break;
          case 'tool':
            break;
        }
      }
      if (!stopped && !stop.signal.aborted && !verificationExhausted()) {
        for (const sentence of sentences.flush()) {
          if (!(await release(sentence))) {
            stopped = 'disclosure';
            break;
          }
        }
      }
    } catch (err) {
      if (!opts.signal?.aborted) failure = err instanceof Error ? err.message : String(err);
    } finally {
      // Leaving the loop early (a blocked sentence, a rule that fired) stops the provider too.
      stop.abort();
      opts.signal?.removeEventListener('abort', onCallerAbort);
    }
    await this.#recordUsage(turn, usage, released.firstAtMs, performance.now() - startedAt, fallback);
    if (failure !== undefined) {
      await this.#deps.store.appendEvent(this.sessionId, 'media.error', { stage: 'brain', message: failure });
      return this.#escalate('ai_error', `the ${this.#deps.brain.provider} brain failed`, text, released.asReply(assessment), released);
    }
    if (opts.signal?.aborted) return this.#say(released.asReply(assessment), released);
    this.#lastIntent = assessment.intent;

    // An attempt to instruct the assistant is not a question the knowledge base failed.
    if (assessment.knowledgeGap && !suspicious) {
      await this.#deps.store.appendEvent(this.sessionId, 'knowledge.gap', { turn, ...assessment.knowledgeGap });
    }
    this.#unanswered = assessment.answered || suspicious ? 0 : this.#unanswered + 1;
    const reply = released.asReply(assessment);
    if (verificationExhausted() || stopped === 'verification_failed') {
      // The brain's "please try again" no longer applies: a person takes over.
      return this.#escalate('verification_failed', `${this.#caller.verificationFailures} failed verifications`, text, reply, released);
    }
    if (stopped === 'low_confidence' || this.#unanswered >= this.#deps.policy.lowConfidenceTurns) {
      return this.#escalate('low_confidence', `${Math.max(this.#unanswered, 1)} turns in a row without an answer`, text, reply, released);
    }
    if (escalate) return this.#escalate(escalate.reason, escalate.detail, text, reply, released);
    if (endCall && stopped !== 'disclosure') {
      await this.#tools.call('end_call', { reason: 'caller finished' });
      const said = await this.#say(reply, released);
      await this.end('ai', 'caller finished');
      return { ...said, ended: true, state: this.#state };
    }
    return this.#say(reply, released);
  }

  /** Finds the caller's previous call within the window and links this session to it. */
  async #linkPreviousCall(callerId: string): Promise<void> {
    const previous = await findPreviousCall(this.#deps.store, callerId, this.sessionId, this.#deps.resumeWindowHours ?? 0);
    if (!previous) return;
    this.#previousCall = previous;
    await this.#deps.store.appendEvent(this.sessionId, 'session.linked', {
      previousSessionId: previous.sessionId,
      previousStartedAt: previous.startedAt,
      summary: previous.summary,
      openItems: previous.openItems,
    });
  }

  /** The previous call is account context: brains get it only once this caller is verified as its customer. */
  #resumableCall(): BrainTurn['previousCall'] {
    const previous = this.#previousCall;
    if (!previous || !this.#caller.verified) return undefined;
    if (previous.customerId !== null && previous.customerId !== this.#caller.candidate?.id) return undefined;
    return { topic: previous.topic, summary: previous.summary, startedAt: previous.startedAt };
  }

  get previousSessionId(): string | undefined {
    return this.#previousCall?.sessionId;
  }

  /** Model spend for the turn, summed over its requests: one `ai.usage` event. */
  async #recordUsage(turn: number, usage: BrainUsage[], firstSentenceMs: number | undefined, totalMs: number, fallback: string | undefined): Promise<void> {
    if (usage.length === 0 && fallback === undefined) return;
    const first = usage[0];
    const firstToken = usage.find((u) => u.firstTokenMs !== undefined)?.firstTokenMs;
    await this.#deps.store.appendEvent(this.sessionId, 'ai.usage', {
      turn,
      provider: first?.provider ?? this.#deps.brain.provider,
      model: first?.model ?? '',
      inputTokens: usage.reduce((n, u) => n + u.inputTokens, 0),
      outputTokens: usage.reduce((n, u) => n + u.outputTokens, 0),
      requests: usage.length,
      retries: usage.reduce((n, u) => n + u.retries, 0),
      ...(firstToken !== undefined ? { firstTokenMs: Math.round(firstToken) } : {}),
      ...(firstSentenceMs !== undefined ? { firstSentenceMs: Math.round(firstSentenceMs) } : {}),
      totalMs: Math.round(totalMs),
      costUsd: Number(usage.reduce((n, u) => n + u.costUsd, 0).toFixed(6)),
      ...(fallback !== undefined ? { fallback } : {}),
    });
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

  /**
   * The state changes that hand this call to an agent (queued → offered → agent), checked
   * but not applied: the desk logs them with its claim in one transaction (store.takeCall),
   * then `handedToAgent` applies them.
   */
  stepsToAgent(): Array<{ from: ConversationState; to: ConversationState }> {
    const steps: Array<{ from: ConversationState; to: ConversationState }> = [];
    let from = this.#state;
    for (const to of from === 'queued' ? (['offered', 'agent'] as const) : (['agent'] as const)) {
      assertTransition(from, to);
      steps.push({ from, to });
      from = to;
    }
    return steps;
  }

  /** The steps of `stepsToAgent` are logged: the call is the agent's (unless it moved on meanwhile, say ended). */
  handedToAgent(steps: ReadonlyArray<{ from: ConversationState }>): void {
    if (steps[0]?.from === this.#state) this.#state = 'agent';
  }

  /** What the AI's last line asked for, so speech recognition can listen for it. */
  get expectedAnswer(): ExpectedAnswer {
    const last = [...this.#history].reverse().find((h) => h.speaker === 'ai');
    return last ? expectedAnswerFor(last.text) : 'open';
  }

  /** This call's speech recognition failed: a person takes over, since the AI cannot hear. */
  async escalateForFailure(detail: string): Promise<AiTurn | undefined> {
    if (this.#state !== 'ai') return undefined;
    await this.#startTurn();
    return this.#escalate('ai_error', detail, '', undefined, new ReleasedSentences());
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

  /** Logs what the AI says this turn; messages not yet released are released now. */
  async #say(reply: BrainReply, released: ReleasedSentences = new ReleasedSentences()): Promise<AiTurn> {
    const messages = reply.messages.filter((m) => m.trim().length > 0);
    for (const message of messages.slice(released.count)) released.push(message);
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

  async #escalate(
    reason: EscalationReason,
    detail: string,
    callerText: string,
    reply: BrainReply | undefined,
    released: ReleasedSentences,
  ): Promise<AiTurn> {
    const queue = reply?.queue && reply.queue !== 'general' ? reply.queue : queueFor(callerText + ' ' + this.#lastIntent);
    await this.#tools.call('escalate', { reason, detail });
    this.#escalation = { reason, detail, queue };
    const language = this.#language && this.#language.code !== this.#deps.languages?.default.code ? this.#language.code : undefined;
    await this.#deps.store.appendEvent(this.sessionId, 'call.escalated', {
      reason,
      detail,
      intent: reply?.intent ?? this.#lastIntent,
      queue,
      ...(language ? { language } : {}),
    });
    this.onEscalationStored?.();
    await this.#deps.store.updateSession(this.sessionId, { escalationReason: reason });
    await this.transition('queued');
    const topicLead = reason === 'policy_topic' && detail ? POLICY_TOPIC_LEADS[detail] : undefined;
    const lead = [...(topicLead ? [topicLead] : []), ...(reply?.messages.filter((m) => m.trim()) ?? [])];
    // A language escalation is said in the caller's language (or in English when the voice cannot say it).
    const line = reason === 'language' ? this.#findPersonLine() : ESCALATION_LINES[reason];
    return this.#say(
      {
        messages: [...lead, line],
        citations: reply?.citations ?? [],
        intent: reply?.intent ?? 'escalate',
        queue,
        answered: true,
      },
      released,
    );
  }

  /** Each sentence passes the disclosure guard before it may be spoken; a blocked one is replaced and flagged. */
  async #guardSentence(sentence: string, citations: string[], turn: number): Promise<{ blocked: boolean; text: string }> {
    const leaked = await this.#guard.check(sentence, citations, this.#caller);
    if (leaked.length === 0) return { blocked: false, text: sentence };
    await this.#deps.store.appendEvent(this.sessionId, 'security.suspicious', {
      turn,
      text: `blocked an AI reply before verification (${leaked.join(', ')})`,
      patterns: ['disclosure_blocked'],
    });
    return { blocked: true, text: VERIFY_FIRST_LINE };
  }

  /**
   * An agent found the caller's account in the CRM and links it to this call as the account to
   * verify against. Linking discloses nothing: the caller still has to answer the question.
   */
  async linkCandidate(customer: Customer, agentId: string): Promise<AgentVerification> {
    if (this.#caller.verified) {
      return { ok: false, code: 'already_verified', message: 'The caller is already verified; the linked account cannot change during the call.', failures: this.#caller.verificationFailures };
    }
    this.#caller.candidate = customer;
    await this.#deps.store.appendEvent(this.sessionId, 'customer.linked', { agentId, customerId: customer.id });
    return { ok: true, failures: this.#caller.verificationFailures };
  }

  /**
   * The agent asks the verification question and types the caller's answer. It goes through the
   * AI's own verify_identity tool — the same check, events and attempt limit — so neither side
   * can verify a caller the other would not.
   */
  async verifyByAgent(answer: { zip?: string; dob?: string }): Promise<AgentVerification> {
    const caller = this.#caller;
    const limit = this.#deps.policy.maxVerificationFailures;
    if (caller.verified) return { ok: true, failures: caller.verificationFailures };
    if (caller.verificationFailures >= limit) {
      return { ok: false, code: 'verification_locked', message: `Verification failed ${caller.verificationFailures} times on this call, the most allowed. Do not discuss the account; offer a callback or ask the caller to contact us from the number on file.`, failures: caller.verificationFailures };
    }
    if (!caller.candidate) {
      return { ok: false, code: 'no_account', message: 'No account is linked to this call yet. Search the CRM, link the caller’s account, then verify.', failures: caller.verificationFailures };
    }
    const outcome = await this.#tools.call('verify_identity', answer);
    if (outcome.ok) return { ok: true, failures: caller.verificationFailures };
    const left = Math.max(0, limit - caller.verificationFailures);
    return {
      ok: false,
      code: left === 0 ? 'verification_locked' : 'verification_failed',
      message: left === 0
        ? 'That answer does not match either, and no attempts are left. Do not discuss the account; offer a callback.'
        : `That answer does not match the account. ${left} attempt${left === 1 ? '' : 's'} left.`,
      failures: caller.verificationFailures,
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
