// The alert rules for team leads, as pure logic over session events and an injected clock:
// events in, alerts out. One alert per rule and call until the condition clears (a hold that
// ends, a mood that recovers, an AI that makes progress, a hand lowered), so a lead is told
// once, not on every line. The feed (alert-feed.ts) decides who receives them.
import type { AnySessionEvent } from '../../../contracts/events';
import type { SupervisorAlertKind } from '../../../contracts/supervision';

export interface AlertRulesConfig {
  /** An agent's hold longer than this alerts. */
  holdThresholdMs: number;
  /** How many of the caller's latest turns the sentiment trend looks at. */
  sentimentTurns: number;
  /** The trend alerts when the mean of those turns is at or below this (the scorer's scale: ≤ -2 is negative). */
  sentimentFloor: number;
  /** How many AI turns without progress make a loop. */
  aiLoopTurns: number;
  /** How many identical AI replies within those turns make a loop sooner. */
  aiRepeatTurns: number;
}

export const DEFAULT_ALERT_RULES: AlertRulesConfig = {
  holdThresholdMs: 120_000,
  sentimentTurns: 3,
  sentimentFloor: -2,
  aiLoopTurns: 6,
  aiRepeatTurns: 3,
};

/** What a rule found; the feed adds who, where and an id. */
export interface RuleHit {
  kind: SupervisorAlertKind;
  sessionId: string;
  message: string;
  seq?: number;
}

interface CallTrack {
  scores: number[];
  sentimentAlerted: boolean;
  heldSince: number | undefined;
  holdAlerted: boolean;
  aiSince: string[];
  loopAlerted: boolean;
  handUp: boolean;
}

/** Text as a repeat detector sees it: case, punctuation and spacing do not make a reply new. */
function sameReply(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9 ]+/g, ' ').replace(/\s+/g, ' ').trim();
}

export class AlertRules {
  readonly #c: AlertRulesConfig;
  readonly #score: (text: string) => number;
  readonly #calls = new Map<string, CallTrack>();

  /** `score` rates one caller turn (policy/sentiment.ts: negative is unhappy). */
  constructor(config: Partial<AlertRulesConfig>, score: (text: string) => number) {
    this.#c = { ...DEFAULT_ALERT_RULES, ...config };
    this.#score = score;
  }

  #track(sessionId: string): CallTrack {
    let t = this.#calls.get(sessionId);
    if (!t) {
      t = { scores: [], sentimentAlerted: false, heldSince: undefined, holdAlerted: false, aiSince: [], loopAlerted: false, handUp: false };
      this.#calls.set(sessionId, t);
    }
    return t;
  }

  /** Live calls being followed (for tests and capacity checks). */
  get tracked(): number {
    return this.#calls.size;
  }

  onEvent(event: AnySessionEvent, nowMs: number): RuleHit[] {
    const { sessionId, seq } = event;
    if (event.type === 'session.ended') {
      this.#calls.delete(sessionId);
      return [];
    }
    const t = this.#track(sessionId);
    switch (event.type) {
      case 'security.suspicious':
        return [{ kind: 'security', sessionId, seq, message: `Suspicious input from the caller (${event.data.patterns.join(', ') || 'pattern'}).` }];
      case 'agent.hand_raised':
        if (event.data.raised === t.handUp) return [];
        t.handUp = event.data.raised;
        return event.data.raised ? [{ kind: 'raised_hand', sessionId, seq, message: 'The agent raised a hand and asks for help.' }] : [];
      case 'agent.accepted':
      case 'call.transferred':
        // A new person on the call: their hand and hold start fresh.
        t.handUp = false;
        t.heldSince = undefined;
        t.holdAlerted = false;
        return [];
      case 'call.held':
        if (event.data.held) {
          t.heldSince ??= nowMs;
        } else {
          t.heldSince = undefined;
          t.holdAlerted = false;
        }
        return [];
      case 'caller.said':
      case 'transcript.final': {
        if (event.type === 'transcript.final' && event.data.speaker !== 'caller') return [];
        // A spoken turn is logged twice (caller.said while the AI has the call, transcript.final
        // always); only transcript lines count for speech so a turn is scored once.
        if (event.type === 'caller.said' && event.data.source === 'speech') return [];
        t.scores.push(this.#score(event.data.text));
        if (t.scores.length > this.#c.sentimentTurns) t.scores.shift();
        const mean = t.scores.reduce((a, b) => a + b, 0) / t.scores.length;
        const falling = t.scores.length >= 2 && t.scores.at(-1)! <= t.scores[0]!;
        if (t.scores.length >= this.#c.sentimentTurns && mean <= this.#c.sentimentFloor && falling) {
          if (t.sentimentAlerted) return [];
          t.sentimentAlerted = true;
          return [{ kind: 'negative_sentiment', sessionId, seq, message: `The caller sounds increasingly unhappy (mean sentiment ${mean.toFixed(1)} over ${t.scores.length} turns; below 0 is negative).` }];
        }
        if (mean > 0) t.sentimentAlerted = false;
        return [];
      }
      case 'ai.said': {
        t.aiSince.push(sameReply(event.data.text));
        if (event.data.citations.length > 0) return this.#progress(t);
        if (t.loopAlerted) return [];
        const last = t.aiSince.at(-1)!;
        const repeats = t.aiSince.slice(-this.#c.aiLoopTurns).filter((r) => r === last).length;
        if (repeats >= this.#c.aiRepeatTurns || t.aiSince.length >= this.#c.aiLoopTurns) {
          t.loopAlerted = true;
          return [{
            kind: 'ai_loop',
            sessionId,
            seq,
            message: repeats >= this.#c.aiRepeatTurns
              ? `The AI has given the same reply ${repeats} times; the caller may be stuck.`
              : `The AI has taken ${t.aiSince.length} turns without progress (no answer, lookup or verification).`,
          }];
        }
        return [];
      }
      case 'identity.verified':
      case 'call.escalated':
        return this.#progress(t);
      case 'tool.called':
        return event.data.ok ? this.#progress(t) : [];
      default:
        return [];
    }
  }

  #progress(t: CallTrack): RuleHit[] {
    t.aiSince = [];
    t.loopAlerted = false;
    return [];
  }

  /** Timer rules (long hold): called every second or so by the feed. */
  tick(nowMs: number): RuleHit[] {
    const hits: RuleHit[] = [];
    for (const [sessionId, t] of this.#calls) {
      if (t.heldSince === undefined || t.holdAlerted || nowMs - t.heldSince < this.#c.holdThresholdMs) continue;
      t.holdAlerted = true;
      const secs = Math.round((nowMs - t.heldSince) / 1000);
      hits.push({ kind: 'long_hold', sessionId, message: `The caller has been on hold for ${secs} s (threshold ${Math.round(this.#c.holdThresholdMs / 1000)} s).` });
    }
    return hits;
  }

  forget(sessionId: string): void {
    this.#calls.delete(sessionId);
  }
}
