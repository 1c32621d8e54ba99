// The desktop's auto-update feed: an electron-updater `generic` provider at
// /updates/<channel>/<file>, files from <DATA_DIR>/updates/<channel>/ as IT copies them out
// of electron-builder's output (latest*.yml or beta*.yml, installers, blockmaps). Only the two
// channels, only flat file names with the extensions a release has, nothing outside the
// channel folder (no traversal, no symlink out of it). Range requests work, so
// electron-updater can resume and do differential downloads.
import { realpathSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

export const UPDATE_CHANNELS = ['stable', 'beta'] as const;
const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._ -]{0,200}\.(yml|exe|msi|dmg|zip|AppImage|deb|rpm|blockmap)$/;

export function updateFeedRoutes(opts: { dir: string }) {
  return async (app: FastifyInstance): Promise<void> => {
    // serve: false — only the route below decides what can be read.
    await app.register(fastifyStatic, { root: opts.dir, serve: false });

    const notFound = (message: string) => ({ error: 'not_found', message });

    app.get<{ Params: { channel: string; file: string } }>(
      '/updates/:channel/:file',
      {
        schema: {
          params: {
            type: 'object',
            properties: { channel: { type: 'string', maxLength: 20 }, file: { type: 'string', maxLength: 256 } },
            required: ['channel', 'file'],
          },
        },
      },
      async (request, reply) => {
        const { channel, file } = request.params;
        if (!(UPDATE_CHANNELS as readonly string[]).includes(channel)) {
          return reply.code(404).send(notFound(`No update channel "${channel}". Channels: ${UPDATE_CHANNELS.join(', ')}.`));
        }
        if (!FILE_NAME.test(file) || file.includes('..')) {
          return reply.code(404).send(notFound(`No update file "${file}" in channel ${channel}.`));
        }
        const channelDir = join(opts.dir, channel);
        let real: string;
        try {
          real = realpathSync(join(channelDir, file));
          if (!real.startsWith(realpathSync(channelDir) + sep) || !statSync(real).isFile()) throw new Error('outside');
        } catch {
          return reply
            .code(404)
            .send(notFound(`No update file "${file}" in channel ${channel}. IT publishes releases into <DATA_DIR>/updates/${channel}/ (see docs/it-deployment.md).`));
        }
        const isManifest = file.endsWith('.yml');
        if (isManifest) reply.type('text/yaml; charset=utf-8');
        reply.header('cache-control', isManifest ? 'no-cache' : 'public, max-age=86400');
        reply.header('x-content-type-options', 'nosniff');
        return reply.sendFile(file, channelDir, { dotfiles: 'deny', acceptRanges: true, cacheControl: false });
      },
    );

    app.get('/updates/*', async (request, reply) =>
      reply.code(404).send(notFound(`No update file at ${request.url}. The feed is /updates/<${UPDATE_CHANNELS.join('|')}>/<file>.`)),
    );
  };
}
