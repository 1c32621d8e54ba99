// Serves the caller page (/call), the page that waits for an agent's outbound call (/call/wait)
// and their scripts: a plain page, no login, that places a
// call over the local carrier from a browser.
import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';

const PUBLIC_DIR = new URL('../../../public/', import.meta.url);

const FILES: Record<string, { file: string; type: string }> = {
  '/call': { file: 'call.html', type: 'text/html; charset=utf-8' },
  '/call/wait': { file: 'wait.html', type: 'text/html; charset=utf-8' },
  '/call.js': { file: 'call.js', type: 'text/javascript; charset=utf-8' },
  '/call.css': { file: 'call.css', type: 'text/css; charset=utf-8' },
  '/caller-audio-worklet.js': { file: 'caller-audio-worklet.js', type: 'text/javascript; charset=utf-8' },
};

export async function callerPageRoutes(app: FastifyInstance): Promise<void> {
  for (const [path, { file, type }] of Object.entries(FILES)) {
    const body = await readFile(new URL(file, PUBLIC_DIR));
    app.get(path, async (_request, reply) =>
      reply
        .type(type)
        .header('cache-control', 'no-cache')
        .header(
          'content-security-policy',
          "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; media-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
        )
        .send(body),
    );
  }
}
