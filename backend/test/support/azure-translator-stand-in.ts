// A local stand-in for Azure Translator's Text Translation v3: POST /translate?api-version=3.0
// &from=xx&to=yy with a JSON array of `{ Text }`, answered with `[{ translations: [{ text, to }] }]`
// as the service does; a wrong key gets 401 with the service's error body. Translations come
// from a table the test gives (unknown lines come back marked with the target language).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface AzureTranslatorStandIn {
  url: string;
  key: string;
  requests: Array<{ query: URLSearchParams; headers: Record<string, string | string[] | undefined>; body: unknown }>;
  close(): Promise<void>;
}

export async function startAzureTranslatorStandIn(table: Record<string, string>, key = 'translator-key'): Promise<AzureTranslatorStandIn> {
  const requests: AzureTranslatorStandIn['requests'] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
    req.on('end', () => {
      const reply = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
      if (req.method !== 'POST' || url.pathname !== '/translate') return reply(404, { error: { code: 404000, message: 'The requested resource was not found.' } });
      if (req.headers['ocp-apim-subscription-key'] !== key) {
        return reply(401, { error: { code: 401000, message: 'The request is not authorized because credentials are missing or invalid.' } });
      }
      if (url.searchParams.get('api-version') !== '3.0') return reply(400, { error: { code: 400021, message: 'The API version parameter is missing or invalid.' } });
      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch {
        return reply(400, { error: { code: 400074, message: 'The body of the request is not valid JSON.' } });
      }
      requests.push({ query: url.searchParams, headers: req.headers, body });
      const to = url.searchParams.get('to') ?? '';
      const items = Array.isArray(body) ? (body as Array<{ Text?: string }>) : [];
      reply(200, items.map((item) => ({ translations: [{ text: table[item.Text ?? ''] ?? `(${to}) ${item.Text ?? ''}`, to }] })));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    key,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
