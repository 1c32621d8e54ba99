// The runner drives a real conversation per scenario and must notice every broken expectation.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runScenario, type CheckResult } from '../../src/simulator/runner';
import { loadScenarioFile, parseScenario } from '../../src/simulator/scenario-file';

const RUN = fileURLToPath(new URL('./fixtures/run/', import.meta.url));

describe('runScenario', () => {
  it('passes a scenario whose expectations all hold, greeting included', async () => {
    const result = await runScenario(await loadScenarioFile(join(RUN, 'passing.yaml')));
    const failed = [result.greeting, ...result.turns].flatMap(
      (t) => t?.checks.filter((c) => !c.passed) ?? [],
    );
    expect(failed).toEqual([]);
    expect(result.error).toBeUndefined();
    expect(result.passed).toBe(true);
    expect(result.greeting?.aiText).toMatch(/automated assistant/);
    expect(result.turns[1]?.aiText).toMatch(/O-1001/);
  });

  it('fails every expectation that does not hold, with a reason', async () => {
    const result = await runScenario(await loadScenarioFile(join(RUN, 'failing.yaml')));
    expect(result.passed).toBe(false);
    const first = result.turns[0]!;
    const byKey = (key: string): CheckResult | undefined =>
      first.checks.find((c) => c.expectation.key === key);
    for (const key of [
      'ai_says',
      'verified',
      'ai_not_says',
      'tools',
      'escalated',
      'escalation_reason',
      'ended',
      'events',
      'citations',
    ]) {
      expect(byKey(key), key).toMatchObject({ passed: false });
    }
    expect(byKey('ai_says')?.reason).toMatch(/^not found in: "Before I can look at your account/);
    expect(byKey('ai_not_says')?.reason).toMatch(/^the AI said "verify"/);
    expect(byKey('verified')?.reason).toBe('the caller is not verified');
    expect(byKey('tools')?.reason).toBe('tools called this turn: none');
    expect(byKey('escalation_reason')?.reason).toBe('the call has not escalated');
    expect(byKey('events')?.reason).toBe('events logged this turn: caller.said, ai.said');
    expect(byKey('citations')?.reason).toBe('cited this turn: nothing');
    // The goodbye turn passes; the turn after it cannot be played.
    expect(result.turns[1]?.checks.every((c) => c.passed)).toBe(true);
    expect(result.turns[2]?.error).toMatch(/the call already ended at turn 2/);
  });

  it('checks the escalation reason and the escalated flag on later turns', async () => {
    const scenario = parseScenario(
      [
        'name: upset then calm',
        'caller: { phone: "+15550100003" }',
        'turns:',
        '  - caller: "This is unacceptable, your service is terrible and useless!!"',
        '    expect: { escalated: true, escalation_reason: low_confidence }',
        '  - caller: "What are your support hours?"',
        '    expect: { escalated: false }',
      ].join('\n'),
      'inline.yaml',
    );
    const result = await runScenario(scenario);
    expect(result.passed).toBe(false);
    expect(result.turns[0]?.checks[0]?.passed).toBe(true);
    expect(result.turns[0]?.checks[1]?.reason).toMatch(/^escalated for negative_sentiment/);
    expect(result.turns[1]?.checks[0]?.reason).toMatch(/^the call escalated \(negative_sentiment/);
  });

  it('runs each scenario on its own store: fixtures replace the demo data', async () => {
    const scenario = parseScenario(
      [
        'name: empty crm',
        'caller: { phone: "+15550100001" }',
        'fixtures: { customers: [] }',
        'turns:',
        '  - caller: "Where is my order?"',
        '    expect: { ai_says: ["couldn.t find an account"] }',
      ].join('\n'),
      'inline.yaml',
    );
    const result = await runScenario(scenario);
    expect(result.turns[0]?.checks[0]).toMatchObject({ passed: true });
  });
});
