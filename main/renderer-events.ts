// Main → renderer events. Sent only to our agent window, and held back until its page has
// loaded (the preload's listeners exist then); the preload keeps the last deep link until
// the app subscribes, so a link that started the app is not lost.
import type { EventChannel, EventPayloads } from '../contracts/desktop-api';
import type { WebContentsLike } from './electron-facade';

export interface RendererEvents {
  send<C extends EventChannel>(channel: C, payload: EventPayloads[C]): void;
}

export function setupRendererEvents(contents: WebContentsLike): RendererEvents {
  let loaded = false;
  const pending: [string, unknown][] = [];
  contents.on('did-finish-load', () => {
    loaded = true;
    for (const [c, p] of pending.splice(0)) contents.send(c, p);
  });
  return {
    send(channel, payload) {
      if (contents.isDestroyed()) return;
      if (loaded) contents.send(channel, payload);
      else pending.push([channel, payload]);
    },
  };
}
