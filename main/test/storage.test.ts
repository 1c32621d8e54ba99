import { describe, expect, it, vi } from 'vitest';
import { setupAudioDevices } from '../audio-devices';
import { secureStorageAvailable, setupTokenStore } from '../token-store';
import { memoryFiles } from './fakes';

function fakeSafeStorage(available = true, backend = 'gnome_libsecret') {
  return {
    isEncryptionAvailable: () => available,
    encryptString: (s: string) => Buffer.from(`enc:${Buffer.from(s).toString('base64')}`),
    decryptString: (b: Buffer) => {
      const t = b.toString();
      if (!t.startsWith('enc:')) throw new Error('bad blob');
      return Buffer.from(t.slice(4), 'base64').toString();
    },
    getSelectedStorageBackend: () => backend,
  };
}

describe('token storage', () => {
  it('stores the token encrypted, reads it back after a restart, sign-out clears it', () => {
    const files = memoryFiles();
    const a = setupTokenStore({ safeStorage: fakeSafeStorage(), files, path: 't', log: vi.fn() });
    a.set('secret-token');
    expect(String(files.data.get('t'))).not.toContain('secret-token');
    const b = setupTokenStore({ safeStorage: fakeSafeStorage(), files, path: 't', log: vi.fn() });
    expect(b.get()).toBe('secret-token');
    b.clear();
    expect(files.data.has('t')).toBe(false);
    expect(b.get()).toBeNull();
    expect(setupTokenStore({ safeStorage: fakeSafeStorage(), files, path: 't', log: vi.fn() }).get()).toBeNull();
  });
  it('without a keychain (or Linux basic_text) it never writes the token to disk', () => {
    for (const ss of [fakeSafeStorage(false), fakeSafeStorage(true, 'basic_text')]) {
      const files = memoryFiles();
      const log = vi.fn();
      const s = setupTokenStore({ safeStorage: ss, files, path: 't', log });
      s.set('secret-token');
      expect(s.get()).toBe('secret-token');
      expect(files.data.size).toBe(0);
      expect(s.persistent).toBe(false);
      expect(log).toHaveBeenCalled();
      expect(secureStorageAvailable(ss)).toBe(false);
    }
  });
  it('a blob from another keychain is discarded', () => {
    const files = memoryFiles({ t: Buffer.from('garbage') });
    expect(setupTokenStore({ safeStorage: fakeSafeStorage(), files, path: 't', log: vi.fn() }).get()).toBeNull();
    expect(files.data.has('t')).toBe(false);
  });
});

describe('audio device preferences', () => {
  it('remembers microphone, speaker and ringtone device', () => {
    const files = memoryFiles();
    const a = setupAudioDevices({ files, path: 'a' });
    expect(a.get()).toEqual({ microphoneId: null, speakerId: null, ringtoneDeviceId: null });
    a.set({ microphoneId: 'mic-1', ringtoneDeviceId: 'usb-headset' });
    expect(setupAudioDevices({ files, path: 'a' }).get()).toEqual({ microphoneId: 'mic-1', speakerId: null, ringtoneDeviceId: 'usb-headset' });
    expect(() => a.set({ volume: 11 })).toThrow();
  });
  it('a corrupt file falls back to the defaults', () => {
    expect(setupAudioDevices({ files: memoryFiles({ a: '{nope' }), path: 'a' }).get().microphoneId).toBeNull();
  });
});
