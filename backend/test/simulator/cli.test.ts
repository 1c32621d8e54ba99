// The command line: file discovery, the closing tally line, and the exit codes scripts rely on.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { collectScenarioFiles, main, USAGE } from '../../src/simulator/cli';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const CLI_DIR = `${FIXTURES}cli`;
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

async function run(args: string[]): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await main(args, (line) => lines.push(line));
  return { code, lines };
}

describe('simulator cli', () => {
  it('finds .yaml and .yml files in folders, sorted', async () => {
    const { files, problems } = await collectScenarioFiles([CLI_DIR]);
    expect(problems).toEqual([]);
    expect(files.map((f) => f.slice(CLI_DIR.length + 1))).toEqual([
      'a-passing.yaml',
      'b-failing.yaml',
      'c-broken.yml',
    ]);
  });

  it('prints usage and exits 2 without arguments', async () => {
    const { code, lines } = await run([]);
    expect(code).toBe(2);
    expect(lines.join('\n')).toBe(USAGE);
    expect(USAGE).toContain('FILE_OR_DIR');
  });

  it('exits 0 when every scenario passes and 1 when an expectation fails', async () => {
    const pass = await run([`${CLI_DIR}/a-passing.yaml`]);
    expect(pass.lines.at(-1)).toBe('1 passed, 0 failed');
    expect(pass.code).toBe(0);
    const fail = await run([`${CLI_DIR}/a-passing.yaml`, `${CLI_DIR}/b-failing.yaml`]);
    expect(fail.lines.at(-1)).toBe('1 passed, 1 failed');
    expect(fail.code).toBe(1);
    expect(fail.lines).toContain('  caller: Where is my order?');
    expect(
      fail.lines.some((l) => /^ {6}✗ verified: true \(line \d+\) — the caller is not verified$/.test(l)),
    ).toBe(true);
  });

  it('counts a missing path as a failed file', async () => {
    const { code, lines } = await run([`${FIXTURES}does-not-exist.yaml`]);
    expect(code).toBe(2);
    expect(lines[0]).toContain('no such file or folder');
    expect(lines.at(-1)).toBe('0 passed, 1 failed');
  });

  it('as a process: prints the tally last and exits 2 when a file is broken', async () => {
    const result = await promisify(execFile)('npx', ['tsx', 'backend/src/simulator/cli.ts', CLI_DIR], {
      cwd: ROOT,
    }).then(
      () => ({ code: 0, stdout: '' }),
      (err: { code: number; stdout: string }) => ({ code: err.code, stdout: err.stdout }),
    );
    expect(result.code).toBe(2);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines.at(-1)).toBe('1 passed, 2 failed');
    expect(result.stdout).toMatch(/c-broken\.yml:6: turns\[0\]\.expect\.tools: unknown tool "lookup_order"/);
  });
});
