// The one way the renderer reaches main. Every handler first checks the sender — one of our
// windows, its top frame, showing a page of our own origin — and then parses the arguments
// with the contract's zod schema. Anything else is refused before a handler runs.
import { z } from 'zod';
import { APP_ORIGIN, InvokeArgs, type InvokeChannel, type InvokeResults } from '../contracts/desktop-api';
import type { IpcInvokeEvent, IpcMainLike } from './electron-facade';
import { originOf } from './origin';

export class IpcRefused extends Error {}

export function isTrustedSender(event: IpcInvokeEvent, ourWebContentsIds: ReadonlySet<number>): boolean {
  if (!ourWebContentsIds.has(event.sender.id)) return false;
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  return originOf(frame.url) === APP_ORIGIN;
}

type ArgsOf<C extends InvokeChannel> = z.infer<(typeof InvokeArgs)[C]>;
export type InvokeHandlers = { [C in InvokeChannel]: (...args: ArgsOf<C>) => InvokeResults[C] | Promise<InvokeResults[C]> };

export function setupIpc(deps: { ipcMain: IpcMainLike; ourWebContentsIds: () => ReadonlySet<number>; handlers: InvokeHandlers; log: (line: string) => void }): () => void {
  const channels = Object.keys(deps.handlers) as InvokeChannel[];
  for (const channel of channels) {
    const schema = InvokeArgs[channel] as z.ZodType<unknown[]>;
    const handler = deps.handlers[channel] as (...args: unknown[]) => unknown;
    deps.ipcMain.handle(channel, async (event, ...rawArgs) => {
      if (!isTrustedSender(event, deps.ourWebContentsIds())) {
        deps.log(`ipc ${channel}: refused a call from an untrusted sender (${event.senderFrame?.url ?? 'no frame'})`);
        throw new IpcRefused(`${channel}: not allowed from this page.`);
      }
      const parsed = schema.safeParse(rawArgs);
      if (!parsed.success) throw new IpcRefused(`${channel}: invalid arguments: ${z.prettifyError(parsed.error)}`);
      return handler(...parsed.data);
    });
  }
  return () => channels.forEach((c) => deps.ipcMain.removeHandler(c));
}
