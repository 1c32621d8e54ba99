// The data directory holds the database (customers, transcripts, token hashes) and call
// recordings: only the service's own user may enter it (0700), and the files it creates are
// its alone (0600). Existing installs are tightened on start.
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';

export const DIR_MODE = 0o700;
export const FILE_MODE = 0o600;

/** Creates (or tightens) the data directory and its recordings folder. */
export function secureDataDir(dir: string): void {
  for (const path of [dir, join(dir, 'recordings')]) {
    mkdirSync(path, { recursive: true, mode: DIR_MODE });
    tighten(path, DIR_MODE);
  }
}

function tighten(path: string, mode: number): void {
  try {
    chmodSync(path, mode);
  } catch (err) {
    throw new Error(
      `Cannot make ${path} private (chmod ${mode.toString(8)}): ${(err as Error).message}. ` +
        'Run the server as the user who owns DATA_DIR, or point DATA_DIR at a folder that user owns.',
    );
  }
}

/**
 * Creates the database file owner-only before SQLite opens it (SQLite gives its -wal and -shm
 * files the database file's mode), and tightens the three if they exist already.
 */
export function secureDatabaseFile(file: string): void {
  if (!existsSync(file)) closeSync(openSync(file, 'a', FILE_MODE));
  for (const path of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(path)) tighten(path, FILE_MODE);
}
