// The server log never carries a card number or SSN: every log line is masked as it is
// written (after pino has serialized requests and errors), so a number inside a URL, an
// error message or an object someone logged is caught whichever module logged it.
import type { FastifyServerOptions } from 'fastify';
import { redactDeep } from './redaction';

/** Masks the string values of one serialized pino line; numbers (time, pid) stay as they are. */
export function redactLogLine(line: string): string {
  const newline = line.endsWith('\n') ? '\n' : '';
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    // Not JSON (a pretty printer upstream): still mask, at the cost of numbers that look like cards.
    return redactDeep(line);
  }
  const masked = redactDeep(parsed);
  return masked === parsed ? line : JSON.stringify(masked) + newline;
}

type LoggerOption = FastifyServerOptions['logger'];

/** The Fastify logger option with the redacting write hook added (off stays off). */
export function redactingLogger(logger: LoggerOption): LoggerOption {
  if (!logger) return logger;
  const options = logger === true ? {} : logger;
  return { ...options, hooks: { ...options.hooks, streamWrite: redactLogLine } };
}
