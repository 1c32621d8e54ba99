import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['backend/test/**/*.test.ts', 'contracts/**/*.test.ts', 'main/test/**/*.test.ts', 'preload/test/**/*.test.ts', 'renderer/test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Two cores here: voice tests stream real-time audio, so keep parallelism modest.
    maxWorkers: 2,
  },
});
