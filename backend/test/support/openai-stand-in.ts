// An OpenAI-compatible server for tests and benchmarks: real HTTP on a loopback port,
// Chat Completions with SSE streaming exactly as the official `openai` client reads it —
// text token by token at a set pace, tool-call arguments split across chunks, the usage
// chunk, 429 with Retry-After, 500, requests that never answer, malformed chunks and a
// content-filter finish. Azure's deployment paths (`/openai/deployments/{name}/...`) are
// served too. Each request is recorded (path, query, headers, body, whether it was aborted).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StandInToolCall {
  name: string;
  /** Arguments as the model writes them: an object is serialized; a string is sent as is. */
  args: Record<string, unknown> | string;
}

/** What the stand-in model does for one request. */
export type ModelStep =
  | {
      kind: 'reply';
      text?: string;
      toolCalls?: StandInToolCall[];
      /** Defaults to `tool_calls` when tools are called, else `stop`. */
      finish?: 'stop' | 'tool_calls' | 'length' | 'content_filter';
      /** Characters per tool-argument chunk (arguments arrive split, as real models send them). */
      argChunkChars?: number;
      usage?: { prompt: number; completion: number };
      /** Hang after this many text tokens, never finishing (a stalled stream). */
      stallAfterTokens?: number;
    }
  | { kind: 'status'; status: number; retryAfter?: string; message?: string }
  /** Accept the request and never answer (a timeout). */
  | { kind: 'hang' }
  /** Start streaming, then send a chunk that is not JSON. */
  | { kind: 'malformed'; textBefore?: string };

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: ChatRequestBody;
  /** The client closed the connection before the response ended (abort or timeout). */
  aborted: boolean;
  receivedAt: number;
  closedAt?: number;
  /** performance.now() when each text token was written (benchmarks), and when the connection closed. */
  tokenSentAt: number[];
  closedAtPerf?: number;
}

export interface ChatRequestBody {
  model?: string;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  messages: Array<{ role: string; content?: string | null; tool_calls?: Array<{ id: string; function: { name: string; arguments: string } }>; tool_call_id?: string }>;
  tools?: Array<{ type: 'function'; function: { name: string; description?: string; parameters?: unknown } }>;
  response_format?: unknown;
  [key: string]: unknown;
}

export type ModelScript = (request: RecordedRequest, index: number) => ModelStep;

export interface StandInOptions {
  /** Delay before the first token (time to first token). */
  firstTokenMs?: number;
  /** Delay between tokens. */
  tokenMs?: number;
  /** Steps in order (the last repeats), or a function of the request. */
  script?: ModelStep[] | ModelScript;
}

export class OpenAiStandIn {
  readonly requests: RecordedRequest[] = [];
  #server: Server;
  #options: Required<Omit<StandInOptions, 'script'>>;
  #script: ModelScript;
  #port = 0;
  readonly #open = new Set<ServerResponse>();
  readonly #closedWaiters = new Set<() => void>();

  private constructor(options: StandInOptions) {
    this.#options = { firstTokenMs: options.firstTokenMs ?? 0, tokenMs: options.tokenMs ?? 0 };
    this.#script = toScript(options.script ?? [{ kind: 'reply', text: 'Hello from the stand-in model.' }]);
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch(() => res.destroy());
    });
  }

  static async start(options: StandInOptions = {}): Promise<OpenAiStandIn> {
    const standIn = new OpenAiStandIn(options);
    await new Promise<void>((resolve) => standIn.#server.listen(0, '127.0.0.1', resolve));
    standIn.#port = (standIn.#server.address() as AddressInfo).port;
    return standIn;
  }

  /** The base URL an OpenAI client is given (`OPENAI_BASE_URL`). */
  get baseUrl(): string {
    return `http://127.0.0.1:${this.#port}/v1`;
  }
  /** The endpoint an AzureOpenAI client is given (`AZURE_OPENAI_ENDPOINT`). */
  get azureEndpoint(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  setScript(script: ModelStep[] | ModelScript): void {
    this.#script = toScript(script);
  }
  setPace(pace: { firstTokenMs?: number; tokenMs?: number }): void {
    this.#options = { ...this.#options, ...pace };
  }

  /** Resolves when a request's connection closes (after a response or an abort). */
  nextClose(): Promise<void> {
    return new Promise((resolve) => this.#closedWaiters.add(resolve));
  }

  async close(): Promise<void> {
    for (const res of this.#open) res.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const raw = await readBody(req);
    if (req.method === 'GET' && url.pathname.endsWith('/models')) {
      sendJson(res, 200, { object: 'list', data: [{ id: 'stand-in', object: 'model', created: 0, owned_by: 'test' }] });
      return;
    }
    if (req.method !== 'POST' || !url.pathname.endsWith('/chat/completions')) {
      sendJson(res, 404, { error: { message: `no route ${req.method} ${url.pathname}`, type: 'invalid_request_error' } });
      return;
    }
    let body: ChatRequestBody;
    try {
      body = JSON.parse(raw) as ChatRequestBody;
    } catch {
      sendJson(res, 400, { error: { message: 'body is not JSON', type: 'invalid_request_error' } });
      return;
    }
    const record: RecordedRequest = { method: req.method, path: url.pathname, query: url.searchParams, headers: req.headers, body, aborted: false, receivedAt: Date.now(), tokenSentAt: [] };
    const index = this.requests.push(record) - 1;
    this.#open.add(res);
    res.on('close', () => {
      this.#open.delete(res);
      record.aborted = !res.writableFinished;
      record.closedAt = Date.now();
      record.closedAtPerf = performance.now();
      for (const waiter of this.#closedWaiters) waiter();
      this.#closedWaiters.clear();
    });
    const step = this.#script(record, index);
    switch (step.kind) {
      case 'status':
        res.writeHead(step.status, {
          'content-type': 'application/json',
          ...(step.retryAfter !== undefined ? { 'retry-after': step.retryAfter } : {}),
        });
        res.end(JSON.stringify({ error: { message: step.message ?? `stand-in status ${step.status}`, type: 'server_error' } }));
        return;
      case 'hang':
        return;
      case 'malformed':
        await this.#stream(res, record, { kind: 'reply', text: step.textBefore ?? '' }, true);
        return;
      case 'reply':
        if (body.stream) await this.#stream(res, record, step, false);
        else this.#whole(res, body, step);
        return;
    }
  }

  #whole(res: ServerResponse, body: ChatRequestBody, step: Extract<ModelStep, { kind: 'reply' }>): void {
    const calls = step.toolCalls ?? [];
    sendJson(res, 200, {
      id: 'chatcmpl-stand-in',
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: body.model ?? 'stand-in',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: step.text ?? null,
            ...(calls.length > 0
              ? { tool_calls: calls.map((c, i) => ({ id: `call_${i}`, type: 'function', function: { name: c.name, arguments: argsText(c) } })) }
              : {}),
          },
          finish_reason: step.finish ?? (calls.length > 0 ? 'tool_calls' : 'stop'),
        },
      ],
      usage: usageOf(body, step),
    });
  }

  async #stream(res: ServerResponse, record: RecordedRequest, step: Extract<ModelStep, { kind: 'reply' }>, malformed: boolean): Promise<void> {
    const body = record.body;
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const created = Math.floor(Date.now() / 1000);
    const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
      id: 'chatcmpl-stand-in',
      object: 'chat.completion.chunk',
      created,
      model: body.model ?? 'stand-in',
      choices: [{ index: 0, delta, finish_reason: finish }],
    });
    const send = (data: unknown) => {
      if (!res.destroyed) res.write(`data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
    };
    const alive = () => !res.destroyed;
    send(chunk({ role: 'assistant', content: '' }));
    await sleep(this.#options.firstTokenMs);
    const tokens = (step.text ?? '').match(/\S+\s*/g) ?? [];
    for (const [i, token] of tokens.entries()) {
      if (!alive()) return;
      if (step.stallAfterTokens !== undefined && i >= step.stallAfterTokens) return;
      if (i > 0) await sleep(this.#options.tokenMs);
      send(chunk({ content: token }));
      record.tokenSentAt.push(performance.now());
    }
    if (malformed) {
      send('{"id":"chatcmpl-stand-in","choices":[{"delta":{"content":"broken');
      res.end();
      return;
    }
    const calls = step.toolCalls ?? [];
    const size = Math.max(1, step.argChunkChars ?? 8);
    for (const [index, call] of calls.entries()) {
      if (!alive()) return;
      send(chunk({ tool_calls: [{ index, id: `call_${index}`, type: 'function', function: { name: call.name, arguments: '' } }] }));
      const text = argsText(call);
      for (let at = 0; at < text.length; at += size) {
        await sleep(this.#options.tokenMs);
        send(chunk({ tool_calls: [{ index, function: { arguments: text.slice(at, at + size) } }] }));
      }
    }
    send(chunk({}, step.finish ?? (calls.length > 0 ? 'tool_calls' : 'stop')));
    if (body.stream_options?.include_usage) {
      send({ id: 'chatcmpl-stand-in', object: 'chat.completion.chunk', created, model: body.model ?? 'stand-in', choices: [], usage: usageOf(body, step) });
    }
    send('[DONE]');
    res.end();
  }
}

function toScript(script: ModelStep[] | ModelScript): ModelScript {
  if (typeof script === 'function') return script;
  return (_req, index) => script[Math.min(index, script.length - 1)]!;
}

function argsText(call: StandInToolCall): string {
  return typeof call.args === 'string' ? call.args : JSON.stringify(call.args);
}

function usageOf(body: ChatRequestBody, step: Extract<ModelStep, { kind: 'reply' }>) {
  const prompt = step.usage?.prompt ?? Math.ceil(JSON.stringify(body.messages).length / 4);
  const completion = step.usage?.completion ?? Math.ceil(((step.text ?? '').length + JSON.stringify(step.toolCalls ?? []).length) / 4);
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (b: Buffer) => parts.push(b));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve();
}

/** The last caller line in a request, unquoted: what the scripted model is answering. */
export function lastCallerLine(request: RecordedRequest): string {
  const user = [...request.body.messages].reverse().find((m) => m.role === 'user');
  return typeof user?.content === 'string' ? user.content : '';
}

/** Whether the request already carries a tool result for this tool. */
export function toolResultsIn(request: RecordedRequest): Array<{ name: string; content: string }> {
  const names = new Map<string, string>();
  for (const m of request.body.messages) for (const call of m.tool_calls ?? []) names.set(call.id, call.function.name);
  return request.body.messages
    .filter((m) => m.role === 'tool')
    .map((m) => ({ name: names.get(m.tool_call_id ?? '') ?? '', content: typeof m.content === 'string' ? m.content : '' }));
}
