// Bundles the Electron main process and the preload with esbuild:
//   main/index.ts    → out/desktop/main.cjs     (CJS; electron-updater bundled in, so the
//                                                installer needs no node_modules)
//   preload/index.ts → out/desktop/preload.cjs  (CJS: sandboxed preloads cannot load ESM,
//                                                and may require nothing but 'electron')
// Usage: node --import tsx scripts/build-desktop.ts [--dev]   (--dev keeps inline source maps)
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const dev = process.argv.includes('--dev');

export async function buildDesktop(options: { dev?: boolean } = {}): Promise<{ main: string; preload: string }> {
  const common = {
    bundle: true,
    platform: 'node' as const,
    format: 'cjs' as const,
    target: 'node22', // Electron 45's Node
    sourcemap: options.dev ? ('inline' as const) : false,
    minify: !options.dev,
    legalComments: 'none' as const,
    logLevel: 'warning' as const,
    absWorkingDir: root,
  };
  const main = `${root}out/desktop/main.cjs`;
  const preload = `${root}out/desktop/preload.cjs`;
  await build({ ...common, entryPoints: ['main/index.ts'], outfile: main, external: ['electron'] });
  await build({ ...common, entryPoints: ['preload/index.ts'], outfile: preload, external: ['electron'] });
  // A sandboxed preload can require only a few modules; anything else fails at runtime.
  const required = [...readFileSync(preload, 'utf8').matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
  const unexpected = required.filter((r) => r !== 'electron');
  if (unexpected.length > 0) throw new Error(`preload bundle requires ${unexpected.join(', ')}; a sandboxed preload may require only 'electron'.`);
  return { main, preload };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  buildDesktop({ dev })
    .then(({ main, preload }) => console.log(`desktop: built ${main} and ${preload}`))
    .catch((err: unknown) => {
      console.error(`desktop: build failed: ${(err as Error).message}`);
      process.exit(1);
    });
}
