// REST calls to the backend with the bearer token. Errors become ApiRequestError carrying
// the server's `message` (already written for the user) or a sentence that says what to do.
import type { ApiError } from '../../../contracts/api';

export class ApiRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }
}

export interface HttpClientOptions {
  baseUrl: () => string;
  token: () => string | null;
  /** Told about 401s so the app can send the agent back to sign-in. */
  onUnauthorized?: () => void;
  fetchImpl?: typeof fetch;
}

export class HttpClient {
  #o: HttpClientOptions;

  constructor(options: HttpClientOptions) {
    this.#o = options;
  }

  get<T>(path: string, signal?: AbortSignal): Promise<T> {
    return this.#request<T>('GET', path, undefined, signal);
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.#request<T>('POST', path, body);
  }

  patch<T>(path: string, body: unknown): Promise<T> {
    return this.#request<T>('PATCH', path, body);
  }

  put<T>(path: string, body: unknown): Promise<T> {
    return this.#request<T>('PUT', path, body);
  }

  /** Fetches a binary resource (recordings) with the token, as a Blob for an object URL. */
  async blob(path: string): Promise<Blob> {
    const res = await this.#fetch('GET', path);
    return res.blob();
  }

  async #request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    const res = await this.#fetch(method, path, body, signal);
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  async #fetch(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json' };
    const token = this.#o.token();
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await (this.#o.fetchImpl ?? fetch)(new URL(path, this.#o.baseUrl()).toString(), {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
      });
    } catch (err) {
      if ((err as Error).name === 'AbortError') throw err;
      throw new ApiRequestError(
        'Cannot reach the Switchboard server. Check your network connection and try again.',
        0,
        'network',
      );
    }
    if (res.ok) return res;
    let payload: Partial<ApiError> = {};
    try {
      payload = (await res.json()) as Partial<ApiError>;
    } catch {
      // Not JSON (a proxy error page): fall back to wording by status below.
    }
    if (res.status === 401 && token) this.#o.onUnauthorized?.();
    throw new ApiRequestError(
      payload.message ?? fallbackMessage(res.status),
      res.status,
      payload.error ?? `http_${res.status}`,
    );
  }
}

function fallbackMessage(status: number): string {
  if (status === 401) return 'Your session has expired. Sign in again.';
  if (status === 403) return 'Your account is not allowed to do this. Ask an administrator.';
  if (status === 404) return 'Not found. It may have been removed; refresh and try again.';
  if (status >= 500) return 'The server had a problem. Try again in a moment.';
  return `The request failed (HTTP ${status}). Try again.`;
}
