// The main process log: level from policy or settings, lines to stderr (captured by the OS
// service manager or the terminal). Tokens never reach it: nothing here is given one.
import type { LogLevel } from '../contracts/desktop-api';

const RANK: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

export interface Logger {
  setLevel(level: LogLevel): void;
  log(level: LogLevel, line: string): void;
  info(line: string): void;
  warn(line: string): void;
}

export function setupLogger(write: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Logger {
  let level: LogLevel = 'info';
  const log = (at: LogLevel, line: string) => {
    if (RANK[at] <= RANK[level]) write(`[switchboard ${at}] ${line}`);
  };
  return { setLevel: (l) => (level = l), log, info: (l) => log('info', l), warn: (l) => log('warn', l) };
}
