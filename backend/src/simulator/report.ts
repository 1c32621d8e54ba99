// Prints scenario results for a person reading a terminal or a CI log: each turn as a
// transcript line, each expectation as ✓ or ✗ with the reason, and one closing tally line
// that scripts can rely on. Plain text (no colour codes) so logs stay greppable.
import type { Expectation } from './scenario-file';
import type { CheckResult, ScenarioResult, TurnResult } from './runner';

export type Write = (line: string) => void;

export function describeExpectation(e: Expectation): string {
  switch (e.key) {
    case 'ai_says':
    case 'ai_not_says':
      return `${e.key} /${e.pattern.source}/`;
    default:
      return `${e.key}: ${String(e.value)}`;
  }
}

function printCheck(check: CheckResult, write: Write): void {
  const what = describeExpectation(check.expectation);
  write(
    check.passed
      ? `      ✓ ${what}`
      : `      ✗ ${what} (line ${check.expectation.line}) — ${check.reason ?? 'failed'}`,
  );
}

function printTurn(turn: TurnResult, write: Write): void {
  if (turn.input) {
    write(
      turn.input.kind === 'dtmf' ? `  caller [keys ${turn.input.digits}]` : `  caller: ${turn.input.text}`,
    );
  }
  if (turn.error) {
    write(`      ✗ turn ${turn.index}${turn.line ? ` (line ${turn.line})` : ''} — ${turn.error}`);
    return;
  }
  write(`  AI:     ${turn.aiText || '(silent)'}`);
  for (const check of turn.checks) printCheck(check, write);
}

export function printScenarioResult(result: ScenarioResult, write: Write): void {
  write(`▶ ${result.name} (${result.file})`);
  if (result.greeting) printTurn(result.greeting, write);
  for (const turn of result.turns) printTurn(turn, write);
  if (result.error) write(`  ✗ the scenario stopped: ${result.error}`);
  write(result.passed ? '  PASS' : '  FAIL');
  write('');
}

/** A file that could not be loaded counts as a failed scenario. */
export function printFileError(message: string, write: Write): void {
  write(`✗ ${message}`);
  write('');
}

/** The closing line, exactly `N passed, N failed`. */
export function summaryLine(passed: number, failed: number): string {
  return `${passed} passed, ${failed} failed`;
}
