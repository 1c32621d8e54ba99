// The cluster's front door for agents and the caller page: one loopback port that passes
// HTTP requests and WebSocket upgrades through, byte for byte, to a ready backend (its
// /readyz answers 200). Every backend takes calls and agents (a standby forwards routing
// commands to the leader), so `npm run cluster` spreads new connections round-robin; by
// default (tests, a single entry) the routing leader is preferred, else the first ready
// backend. A backend that drains or loses its store or bus stops being chosen within a
// check (1 s), and connections already open stay where they are.
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';

export interface EntryPoint {
  server: Server;
  url: string;
  /** The backend new connections go to now, or undefined when none is ready. */
  current(): string | undefined;
  /** A backend that joined (say, a replacement); it is considered from the next health check. */
  add(backend: string): void;
  close(): Promise<void>;
}

export interface EntryPointOptions {
  /**
   * `leader` (default): new connections go to the routing leader when it is ready (no hop for
   * routing commands), else the first ready backend. `spread`: round-robin over ready backends,
   * so calls and agents share the cluster's capacity (routing commands are forwarded to the leader).
   */
  prefer?: 'leader' | 'spread';
}

export async function startEntryPoint(initial: string[], port: number, host = '127.0.0.1', opts: EntryPointOptions = {}): Promise<EntryPoint> {
  const backends = [...initial];
  const ready = new Map<string, boolean>(backends.map((b) => [b, false]));
  const leading = new Map<string, boolean>(backends.map((b) => [b, false]));
  let checking = false;
  const check = async () => {
    // A slow answer on a loaded machine is not "not ready": checks may take up to 3 s and never overlap.
    if (checking) return;
    checking = true;
    try {
      await Promise.all(
        backends.map(async (b) => {
          try {
            const res = await fetch(`${b}/readyz`, { signal: AbortSignal.timeout(3000) });
            const body = (await res.json().catch(() => ({}))) as { checks?: { routing?: string } };
            ready.set(b, res.ok);
            leading.set(b, res.ok && body.checks?.routing === 'leader');
          } catch {
            ready.set(b, false);
            leading.set(b, false);
          }
        }),
      );
    } finally {
      checking = false;
    }
  };
  await check();
  const timer = setInterval(() => void check(), 1000);
  let turn = 0;
  // The routing leader if one is ready; else the first ready backend (a lease changing hands).
  const current = () => {
    if (opts.prefer === 'spread') {
      const up = backends.filter((b) => ready.get(b));
      return up.length > 0 ? up[turn++ % up.length] : undefined;
    }
    return backends.find((b) => leading.get(b)) ?? backends.find((b) => ready.get(b));
  };

  const server = createServer((req, res) => {
    const target = current();
    if (!target) {
      res.writeHead(503, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ error: 'no_backend', message: 'No Switchboard backend is ready; check `npm run cluster` output and each /readyz.' }));
    }
    const url = new URL(target);
    const upstream = httpRequest({ host: url.hostname, port: url.port, method: req.method, path: req.url, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'backend_unreachable', message: 'The backend went away mid-request; try again.' }));
    });
    req.pipe(upstream);
  });
  // Upgraded (WebSocket) connections are not the HTTP server's any more: closeAllConnections
  // does not reach them, and server.close() would wait on them for ever. Keep them to end them.
  const tunnels = new Set<Socket>();
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    tunnels.add(socket);
    socket.once('close', () => tunnels.delete(socket));
    const target = current();
    if (!target) return socket.end('HTTP/1.1 503 Service Unavailable\r\nconnection: close\r\n\r\n');
    const url = new URL(target);
    const upstream = connect(Number(url.port), url.hostname, () => {
      const lines = [`${req.method} ${req.url} HTTP/${req.httpVersion}`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length > 0) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    const end = () => {
      upstream.destroy();
      socket.destroy();
    };
    upstream.on('error', end);
    upstream.on('close', end);
    socket.on('error', end);
    socket.on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const address = server.address() as { port: number };
  return {
    server,
    url: `http://${host}:${address.port}`,
    current,
    add: (backend) => {
      if (!backends.includes(backend)) backends.push(backend);
    },
    close: async () => {
      clearInterval(timer);
      server.closeAllConnections();
      for (const socket of tunnels) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
