// Runs one scenario as a text conversation through the real Conversation, brain and policy,
// on a fresh in-memory store seeded only with the scenario's data, and checks every
// expectation against what the AI did. Returns a structured result; printing is report.ts.
import type { AnySessionEvent } from '../../../contracts/events';
import { defaultConfig, type AppConfig } from '../config/config';
import type { AiTurn, Conversation } from '../conversation/conversation';
import { createServices, type Seed, type Services } from '../runtime/services';
import type { Expectation, Scenario, ScenarioInput } from './scenario-file';

export interface CheckResult {
  expectation: Expectation;
  passed: boolean;
  /** Why it failed, in words a scenario author can act on. */
  reason?: string;
}

export interface TurnResult {
  /** 0 for the greeting, then 1-based scenario turns. */
  index: number;
  line: number | undefined;
  input?: ScenarioInput;
  aiText: string;
  checks: CheckResult[];
  /** Set when the turn could not be played (e.g. the call had already ended). */
  error?: string;
}

export interface ScenarioResult {
  file: string;
  name: string;
  passed: boolean;
  greeting?: TurnResult;
  turns: TurnResult[];
  /** Set when the scenario stopped early because something threw. */
  error?: string;
}

/** What one AI turn did, and which events it logged: everything an expectation can look at. */
export interface ObservedTurn {
  ai: AiTurn;
  events: AnySessionEvent[];
}

/**
 * `config` is the server's own (environment and CONFIG_FILE) when run from the CLI, so a team
 * regression-tests the brain provider, model and prompt it deploys; defaults otherwise.
 */
export async function runScenario(scenario: Scenario, config: AppConfig = defaultConfig()): Promise<ScenarioResult> {
  const result: ScenarioResult = { file: scenario.file, name: scenario.name, passed: false, turns: [] };
  let services: Services | undefined;
  try {
    services = await createServices({
      config,
      databaseFile: ':memory:',
      seed: seedFor(scenario),
    });
    const store = services.store;
    let lastSeq = 0;
    // Events after the last sequence number seen are the ones this turn logged.
    const newEvents = async (conversation: Conversation): Promise<AnySessionEvent[]> => {
      const fresh = await store.listEvents(conversation.sessionId, lastSeq);
      lastSeq = fresh.at(-1)?.seq ?? lastSeq;
      return fresh;
    };

    const conversation = await services.startConversation({
      channel: 'text',
      callerId: scenario.caller.phone,
      ...(scenario.caller.name ? { callerName: scenario.caller.name } : {}),
    });
    const greeting = { ai: conversation.greeting, events: await newEvents(conversation) };
    result.greeting = {
      index: 0,
      line: scenario.greetingExpect[0]?.line,
      aiText: greeting.ai.text,
      checks: scenario.greetingExpect.map((e) => checkExpectation(e, greeting)),
    };

    let endedAt: number | undefined;
    for (const turn of scenario.turns) {
      if (endedAt !== undefined) {
        result.turns.push({
          index: turn.index,
          line: turn.line,
          input: turn.input,
          aiText: '',
          checks: [],
          error: `the call already ended at turn ${endedAt}; remove this turn or the goodbye before it.`,
        });
        continue;
      }
      const ai = await conversation.handle(turn.input);
      const observed = { ai, events: await newEvents(conversation) };
      result.turns.push({
        index: turn.index,
        line: turn.line,
        input: turn.input,
        aiText: ai.text,
        checks: turn.expect.map((e) => checkExpectation(e, observed)),
      });
      if (ai.ended) endedAt = turn.index;
    }
  } catch (err) {
    result.error = err instanceof Error ? err.message : String(err);
  } finally {
    await services?.close();
  }
  const turns = result.greeting ? [result.greeting, ...result.turns] : result.turns;
  result.passed = !result.error && turns.every((t) => !t.error && t.checks.every((c) => c.passed));
  return result;
}

/** Fixtures replace the demo data entirely, so a scenario sees only the records it lists. */
function seedFor(scenario: Scenario): Seed {
  if (!scenario.fixtures) return 'demo-if-empty';
  const { dataset, knowledge } = scenario.fixtures;
  return knowledge ? { dataset, articles: knowledge, onlyFixtureArticles: true } : { dataset, articles: [] };
}

export function checkExpectation(expectation: Expectation, observed: ObservedTurn): CheckResult {
  const { ai, events } = observed;
  const said = ai.messages.join(' ');
  const fail = (reason: string): CheckResult => ({ expectation, passed: false, reason });
  const pass: CheckResult = { expectation, passed: true };
  switch (expectation.key) {
    case 'ai_says':
      return expectation.pattern.test(said)
        ? pass
        : fail(said ? `not found in: "${said}"` : 'the AI said nothing this turn');
    case 'ai_not_says': {
      const match = expectation.pattern.exec(said);
      return match ? fail(`the AI said "${match[0]}" in: "${said}"`) : pass;
    }
    case 'verified':
      return ai.verified === expectation.value
        ? pass
        : fail(ai.verified ? 'the caller is verified' : 'the caller is not verified');
    case 'escalated':
      if (Boolean(ai.escalated) === expectation.value) return pass;
      return fail(
        ai.escalated
          ? `the call escalated (${ai.escalated.reason}: ${ai.escalated.detail})`
          : 'the call has not escalated',
      );
    case 'escalation_reason':
      if (!ai.escalated) return fail('the call has not escalated');
      return ai.escalated.reason === expectation.value
        ? pass
        : fail(`escalated for ${ai.escalated.reason} (${ai.escalated.detail})`);
    case 'ended':
      return ai.ended === expectation.value
        ? pass
        : fail(ai.ended ? 'the call ended' : `the call is still ${ai.state}`);
    case 'tools':
      return ai.tools.includes(expectation.value)
        ? pass
        : fail(`tools called this turn: ${ai.tools.length ? ai.tools.join(', ') : 'none'}`);
    case 'events': {
      const types = [...new Set(events.map((e) => e.type))];
      return types.includes(expectation.value)
        ? pass
        : fail(`events logged this turn: ${types.join(', ') || 'none'}`);
    }
    case 'citations':
      return ai.citations.includes(expectation.value)
        ? pass
        : fail(`cited this turn: ${ai.citations.length ? ai.citations.join(', ') : 'nothing'}`);
  }
}
