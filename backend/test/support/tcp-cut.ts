// A TCP forwarder a test can cut: stands between a backend and a real server (PostgreSQL)
// so the server can be "lost" at run time without stopping the machine's shared one.
// `cut()` ends every open connection and refuses new ones; `restore()` accepts again.
import { createServer, Socket, type Server } from 'node:net';

export class TcpCut {
  readonly #server: Server;
  readonly #open = new Set<Socket>();
  #cut = false;
  port = 0;

  private constructor(target: { host: string; port: number }) {
    this.#server = createServer((client) => {
      if (this.#cut) return void client.destroy();
      const upstream = new Socket();
      this.#open.add(client).add(upstream);
      const drop = () => {
        client.destroy();
        upstream.destroy();
        this.#open.delete(client);
        this.#open.delete(upstream);
      };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
      upstream.connect(target.port, target.host, () => {
        client.pipe(upstream);
        upstream.pipe(client);
      });
    });
  }

  static async start(target: { host: string; port: number }): Promise<TcpCut> {
    const cut = new TcpCut(target);
    await new Promise<void>((resolve) => cut.#server.listen(0, '127.0.0.1', resolve));
    cut.port = (cut.#server.address() as { port: number }).port;
    return cut;
  }

  cut(): void {
    this.#cut = true;
    for (const s of this.#open) s.destroy();
    this.#open.clear();
  }

  restore(): void {
    this.#cut = false;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
