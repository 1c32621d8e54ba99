// The bearer token, encrypted with the OS keychain through safeStorage and kept in userData.
// Where there is no real keychain (safeStorage unavailable, or Linux's "basic_text" backend
// with a hard-coded key) the token lives in memory only: the agent signs in again after a
// restart rather than leaving a readable token on disk. Sign-out removes both copies.
import type { FileStore, SafeStorageLike } from './electron-facade';

export interface TokenStore {
  get(): string | null;
  set(token: string): void;
  clear(): void;
  readonly persistent: boolean;
}

export function secureStorageAvailable(safeStorage: SafeStorageLike): boolean {
  if (!safeStorage.isEncryptionAvailable()) return false;
  const backend = safeStorage.getSelectedStorageBackend?.();
  return backend !== 'basic_text' && backend !== 'unknown';
}

export function setupTokenStore(deps: { safeStorage: SafeStorageLike; files: FileStore; path: string; log: (line: string) => void }): TokenStore {
  const persistent = secureStorageAvailable(deps.safeStorage);
  if (!persistent) deps.log('token store: no OS keychain available; the sign-in token is kept in memory only');
  let memory: string | null = null;
  return {
    persistent,
    get() {
      if (memory !== null) return memory;
      if (!persistent) return null;
      const blob = deps.files.read(deps.path);
      if (blob === null) return null;
      try {
        memory = deps.safeStorage.decryptString(Buffer.isBuffer(blob) ? blob : Buffer.from(blob, 'binary'));
        return memory;
      } catch {
        // Keychain changed (new OS user, restored profile): the old token is useless.
        deps.files.remove(deps.path);
        return null;
      }
    },
    set(token) {
      memory = token;
      if (persistent) deps.files.write(deps.path, deps.safeStorage.encryptString(token));
    },
    clear() {
      memory = null;
      deps.files.remove(deps.path);
    },
  };
}
