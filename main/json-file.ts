// Small JSON documents the main process keeps in userData (settings, audio devices, window
// state). A missing or corrupt file reads as null so the caller falls back to defaults
// instead of refusing to start.
import type { z } from 'zod';
import type { FileStore } from './electron-facade';

export function readJson<T extends z.ZodType>(files: FileStore, path: string, schema: T): z.infer<T> | null {
  let raw: string | Buffer | null;
  try {
    raw = files.read(path);
  } catch {
    return null;
  }
  if (raw === null) return null;
  try {
    const parsed = schema.safeParse(JSON.parse(raw.toString()));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function writeJson(files: FileStore, path: string, value: unknown): void {
  files.write(path, `${JSON.stringify(value, null, 2)}\n`);
}
