// `npm start`: the single-machine trial. Builds the agent app if it is missing, starts the
// backend on embedded defaults, waits for /healthz, then opens the desktop app pointed at it.
// Where the Electron binary is missing it says so, and the same app stays available in a
// browser at http://127.0.0.1:<port>/app/ until Ctrl+C.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { buildDesktop } from './build-desktop';

const root = fileURLToPath(new URL('..', import.meta.url));
const port = Number(process.env.PORT ?? 8080);
const host = process.env.HOST ?? '127.0.0.1';
const backendUrl = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
const children = new Set<ChildProcess>();

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): ChildProcess {
  const child = spawn(command, args, { cwd: root, env, stdio: 'inherit' });
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

function once(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

async function waitForHealth(url: string, backend: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (backend.exitCode !== null) throw new Error(`the backend exited with code ${backend.exitCode}; see its output above.`);
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`the backend did not answer ${url}/healthz within ${timeoutMs / 1000} s.`);
}

/** The Electron executable, or null when the package is installed without its binary. */
function electronBinary(): string | null {
  try {
    const require = createRequire(import.meta.url);
    const pkgDir = fileURLToPath(new URL('.', `file://${require.resolve('electron/package.json')}`));
    if (!existsSync(`${pkgDir}dist`)) return null;
    const path = require('electron') as unknown as string; // the package's main export is the binary path
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

function shutdown(signal: NodeJS.Signals): void {
  for (const child of children) child.kill(signal);
  setTimeout(() => process.exit(0), 5000).unref();
}

async function main(): Promise<void> {
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  if (!existsSync(`${root}dist/renderer/index.html`)) {
    console.log('switchboard: building the agent app (npx vite build)…');
    const code = await once(run('npx', ['vite', 'build']));
    if (code !== 0) throw new Error('the agent app did not build; see the output above.');
  }

  console.log(`switchboard: starting the backend on ${backendUrl} (embedded defaults)…`);
  const backend = run(process.execPath, ['--import', 'tsx', 'backend/src/server.ts'], { ...process.env, PORT: String(port), HOST: host });
  backend.on('exit', (code) => {
    if (children.size === 0 || code !== 0) process.exit(code ?? 0);
  });
  await waitForHealth(backendUrl, backend);

  const electron = electronBinary();
  if (!electron) {
    console.log(
      [
        '',
        'switchboard: the Electron binary is missing (node_modules/electron/dist), so the desktop app cannot open here.',
        '  To get it: with network access run "npx electron --version" (downloads it), or reinstall: "npm ci".',
        `  The same agent app is running in your browser at ${backendUrl}/app/`,
        '  The backend keeps running; press Ctrl+C to stop it.',
        '',
      ].join('\n'),
    );
    return;
  }

  await buildDesktop({ dev: true });
  console.log(`switchboard: opening the desktop app against ${backendUrl}`);
  const env: NodeJS.ProcessEnv = { ...process.env, SWITCHBOARD_BACKEND_URL: backendUrl };
  delete env.ELECTRON_RUN_AS_NODE; // would start Electron as plain Node
  const desktop = run(electron, [`${root}out/desktop/main.cjs`], env);
  // Closing the app ends the trial: stop the backend too.
  desktop.on('exit', () => shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(`switchboard: ${(err as Error).message}`);
  shutdown('SIGTERM');
  process.exitCode = 1;
});
