// `npm run simulate -- FILE_OR_DIR...`: finds scenario files, runs each one on its own
// isolated store, prints the transcript and checks, and exits 0 when all pass, 1 when an
// expectation failed, 2 when a file could not be used (missing, bad YAML, bad keys).
import { readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError, loadConfig, type AppConfig } from '../config/config';
import { printFileError, printScenarioResult, summaryLine, type Write } from './report';
import { runScenario } from './runner';
import { loadScenarioFile, ScenarioFileError } from './scenario-file';

export const USAGE = `Usage: npm run simulate -- FILE_OR_DIR...

Pass one or more scenario files (.yaml or .yml) or folders to search for them, e.g.
  npm run simulate -- scenarios
  npm run simulate -- scenarios/order-status-after-zip.yaml
The scenario format is described in docs/scenarios.md.`;

const SCENARIO_FILE = /\.ya?ml$/i;

/** Scenario files named by the arguments: files as given, folders searched recursively, sorted. */
export async function collectScenarioFiles(args: string[]): Promise<{ files: string[]; problems: string[] }> {
  const files: string[] = [];
  const problems: string[] = [];
  for (const arg of args) {
    let info;
    try {
      info = await stat(arg);
    } catch {
      problems.push(`${arg}: no such file or folder. Pass scenario files or folders that hold them.`);
      continue;
    }
    if (info.isDirectory()) {
      const found = (await walk(arg)).sort();
      if (found.length === 0) problems.push(`${arg}: no .yaml or .yml scenario files in this folder.`);
      files.push(...found);
    } else {
      files.push(arg);
    }
  }
  return { files: [...new Set(files)], problems };
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(path)));
    else if (entry.isFile() && SCENARIO_FILE.test(entry.name)) out.push(path);
  }
  return out;
}

/** Runs the simulator and returns the exit code; `write` receives every output line. */
export async function main(
  args: string[],
  write: Write = (line) => process.stdout.write(`${line}\n`),
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  if (args.length === 0 || args.includes('--help') || args.includes('-h')) {
    write(USAGE);
    return args.length === 0 ? 2 : 0;
  }
  // The same environment and config file as the server: scenarios run the configured brain.
  let config: AppConfig;
  try {
    config = loadConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    write(`simulate: ${err.message}`);
    return 2;
  }
  if (config.BRAIN_PROVIDER !== 'local') {
    write(`brain: ${config.BRAIN_PROVIDER} (${config.BRAIN_PROVIDER === 'openai' ? config.OPENAI_MODEL : config.AZURE_OPENAI_DEPLOYMENT})`);
  }
  const { files, problems } = await collectScenarioFiles(args);
  let passed = 0;
  let failed = 0;
  let fileErrors = 0;
  for (const problem of problems) {
    printFileError(problem, write);
    failed += 1;
    fileErrors += 1;
  }
  for (const file of files) {
    const shown = relative(process.cwd(), file) || file;
    let scenario;
    try {
      scenario = await loadScenarioFile(shown);
    } catch (err) {
      if (!(err instanceof ScenarioFileError)) throw err;
      printFileError(err.message, write);
      failed += 1;
      fileErrors += 1;
      continue;
    }
    const result = await runScenario(scenario, config);
    printScenarioResult(result, write);
    if (result.passed) passed += 1;
    else failed += 1;
  }
  write(summaryLine(passed, failed));
  if (fileErrors > 0) return 2;
  return failed > 0 ? 1 : 0;
}

// Run only when executed directly, so tests can import main().
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  // `npm run simulate -- scenarios | head` closes the pipe early; that is not a crash.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
      process.exitCode = 2;
    },
  );
}
