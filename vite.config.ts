// Builds the agent app (renderer/) for the backend to serve at /app/ and for the desktop
// shell. Two pages: the app itself, and bench.html, which mounts the real transcript for
// bench/suites/transcript-render.ts.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const renderer = fileURLToPath(new URL('./renderer', import.meta.url));

export default defineConfig({
  root: renderer,
  base: '/app/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist/renderer', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    rollupOptions: {
      input: {
        index: `${renderer}/index.html`,
        bench: `${renderer}/bench.html`,
      },
    },
  },
  server: {
    // `vite` dev server: forward API and WebSocket calls to a backend on the default port.
    proxy: {
      '/api': 'http://127.0.0.1:8080',
      '/agent': { target: 'ws://127.0.0.1:8080', ws: true },
      '/caller-audio-worklet.js': 'http://127.0.0.1:8080',
    },
  },
});
