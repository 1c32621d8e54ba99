// The scenario loader: every authoring mistake names the file, the line and what is valid.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { escalationReasons, toolNames } from '../../../contracts/conversation';
import { loadScenarioFile, parseScenario, ScenarioFileError } from '../../src/simulator/scenario-file';

const BAD = fileURLToPath(new URL('./fixtures/bad/', import.meta.url));
const RUN = fileURLToPath(new URL('./fixtures/run/', import.meta.url));

async function loadError(name: string): Promise<ScenarioFileError> {
  const file = join(BAD, name);
  const err = await loadScenarioFile(file).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ScenarioFileError);
  const error = err as ScenarioFileError;
  expect(error.file).toBe(file);
  expect(error.message.startsWith(`${file}:${error.line}: `)).toBe(true);
  return error;
}

describe('loadScenarioFile', () => {
  it('loads a valid scenario with fixtures, greeting checks, text and dtmf turns', async () => {
    const scenario = await loadScenarioFile(join(RUN, 'passing.yaml'));
    expect(scenario.name).toBe('passing scenario');
    expect(scenario.caller).toEqual({ phone: '+15550100001', name: 'Dana' });
    expect(scenario.fixtures?.dataset.customers[0]?.tier).toBe('gold');
    expect(scenario.fixtures?.knowledge).toBeUndefined();
    expect(scenario.greetingExpect.map((e) => e.key)).toEqual(['ai_says', 'tools', 'events']);
    expect(scenario.turns).toHaveLength(3);
    // `dtmf: 0` unquoted is still the key 0, not the number zero.
    expect(scenario.turns[2]?.input).toEqual({ kind: 'dtmf', digits: '0' });
    expect(scenario.turns[1]?.line).toBe(10);
    expect(scenario.turns[1]?.expect.filter((e) => e.key === 'tools').map((e) => e.line)).toEqual([11, 11]);
  });

  it('reports malformed YAML with the line where the problem is', async () => {
    const err = await loadError('bad-yaml.yaml');
    expect(err.line).toBe(4);
    expect(err.detail).toMatch(/invalid YAML/);
    const indent = catchError(() =>
      parseScenario('name: x\ncaller:\n  phone: "+1"\n bad: 1\nturns: []\n', 'inline.yaml'),
    );
    expect(indent.line).toBe(4);
    expect(indent.message).toMatch(/^inline\.yaml:4: invalid YAML/);
  });

  it('names the unknown expectation key, its line, and the valid keys', async () => {
    const err = await loadError('unknown-expect-key.yaml');
    expect(err.line).toBe(7);
    expect(err.detail).toContain('unknown key "ai_sayz" in turns[0].expect');
    expect(err.detail).toContain(
      'Valid keys: ai_says, ai_not_says, verified, escalated, escalation_reason, tools, ended, events, citations',
    );
  });

  it('names unknown top-level and turn keys', async () => {
    const top = await loadError('unknown-top-key.yaml');
    expect(top.line).toBe(3);
    expect(top.detail).toContain('unknown key "turn" in scenario');
    expect(top.detail).toContain('Valid keys: name, description, caller, fixtures, greeting_expect, turns');
    const turn = await loadError('unknown-turn-key.yaml');
    expect(turn.line).toBe(5);
    expect(turn.detail).toContain('unknown key "expects" in turns[0]. Valid keys: caller, dtmf, expect');
  });

  it('rejects an unknown tool and lists the valid ones', async () => {
    const err = await loadError('unknown-tool.yaml');
    expect(err.line).toBe(6);
    expect(err.detail).toContain('unknown tool "lookup_order"');
    expect(err.detail).toContain(toolNames.join(', '));
  });

  it('rejects an unknown escalation reason and lists the valid ones', async () => {
    const err = await loadError('unknown-reason.yaml');
    expect(err.line).toBe(5);
    expect(err.detail).toContain('unknown escalation reason "caller_requested"');
    expect(err.detail).toContain(escalationReasons.join(', '));
  });

  it('rejects an unknown event type', async () => {
    const err = await loadError('unknown-event.yaml');
    expect(err.line).toBe(5);
    expect(err.detail).toContain('unknown event type "security.alert"');
    expect(err.detail).toContain('security.suspicious');
  });

  it('reports an invalid regular expression at its own line', async () => {
    const err = await loadError('bad-regex.yaml');
    expect(err.line).toBe(8);
    expect(err.detail).toContain('"(unclosed" is not a valid regular expression');
  });

  it('reports fixtures that fail the CRM schema with the field and line', async () => {
    const err = await loadError('bad-fixture.yaml');
    expect(err.line).toBe(8);
    expect(err.detail).toContain('fixtures.customers[0].zip: must be a 5-digit zip code');
  });

  it('needs exactly one of caller and dtmf in a turn', async () => {
    expect((await loadError('caller-and-dtmf.yaml')).detail).toContain('has both "caller" and "dtmf"');
    expect((await loadError('neither-caller-nor-dtmf.yaml')).detail).toContain('needs "caller"');
  });

  it('explains other mistakes an author can make', () => {
    const base = 'name: x\ncaller: { phone: "+15550100001" }\n';
    expect(
      catchError(() =>
        parseScenario(`${base}turns:\n  - caller: hi\n    events: [knowledge.gap]\n`, 'a.yaml'),
      ).message,
    ).toBe(
      'a.yaml:5: turns[0]: "events" is an expectation; put it under expect, e.g. expect: { events: [knowledge.gap] }.',
    );
    expect(
      catchError(() =>
        parseScenario(`${base}turns:\n  - caller: hi\n    expect: { verified: yes }\n`, 'a.yaml'),
      ).message,
    ).toBe('a.yaml:5: turns[0].expect.verified must be true or false.');
    expect(catchError(() => parseScenario(`${base}turns: []\n`, 'a.yaml')).line).toBe(3);
    expect(
      catchError(() => parseScenario('caller: { phone: "+1" }\nturns: [{ caller: hi }]\n', 'a.yaml')).detail,
    ).toContain('missing "name"');
    const fixture = `${base}fixtures:\n  customers: [{ id: C1, name: D, phone: +15550100001 }]\n  orders: [{ id: O1, customerId: C9, item: X, status: shipped, total: 1 }]\nturns: [{ caller: hi }]\n`;
    expect(catchError(() => parseScenario(fixture, 'a.yaml')).message).toBe(
      'a.yaml:4: fixtures.customers[0].phone: Invalid input: expected string, received number. Put the value in quotes, e.g. "+15550100001".',
    );
    const orphan = fixture.replace('phone: +15550100001', 'phone: "+15550100001"');
    expect(catchError(() => parseScenario(orphan, 'a.yaml')).message).toContain(
      'a.yaml:5: fixtures.orders[0].customerId: no customer "C9"',
    );
  });

  it('keeps what the author typed for unquoted numbers', () => {
    const s = parseScenario(
      'name: x\ncaller: { phone: +15550100001 }\nturns:\n  - caller: 94107\n  - dtmf: 0012\n',
      'a.yaml',
    );
    expect(s.caller.phone).toBe('+15550100001');
    expect(s.turns.map((t) => t.input)).toEqual([
      { kind: 'text', text: '94107' },
      { kind: 'dtmf', digits: '0012' },
    ]);
  });
});

function catchError(fn: () => unknown): ScenarioFileError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ScenarioFileError) return err;
    throw err;
  }
  throw new Error('expected a ScenarioFileError');
}
