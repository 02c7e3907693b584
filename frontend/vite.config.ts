/// <reference types="vitest/config" />
import { copyFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, loadEnv, type Plugin } from 'vite';
import { parseEnv } from './src/config/env.schema.ts';

// The Python server serves dist/ with Starlette's StaticFiles(html=True), which answers unknown
// paths with 404.html when it exists: a copy of index.html makes deep links such as
// /products/roland-td27kv load the app (the client router then shows the right page).
function spaFallback(): Plugin {
  return {
    name: 'hsc-spa-fallback',
    apply: 'build',
    closeBundle() {
      const dist = resolve(import.meta.dirname, 'dist');
      if (existsSync(resolve(dist, 'index.html'))) {
        copyFileSync(resolve(dist, 'index.html'), resolve(dist, '404.html'));
      }
    },
  };
}

// Where `npm run dev` forwards /ws and /api (a running `hsc-jit serve` or `npm run mock-server`).
const devBackend = process.env.HSC_DEV_BACKEND ?? 'http://127.0.0.1:8000';

export default defineConfig(({ mode }) => ({
  plugins: [react(), spaFallback()],
  // VITE_* variables from .env files and the environment, checked with zod now (build, dev
  // server, Vitest) rather than in the browser; the app reads the checked object.
  define: {
    __APP_ENV__: JSON.stringify(parseEnv(loadEnv(mode, import.meta.dirname, 'VITE_'))),
  },
  build: {
    outDir: 'dist',
    manifest: true,
    sourcemap: false,
    target: 'es2022',
  },
  server: {
    proxy: {
      '/api': devBackend,
      '/demo': devBackend,
      '/ws': { target: devBackend.replace(/^http/, 'ws'), ws: true },
    },
  },
  test: {
    environment: 'jsdom',
    globals: true,
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}', 'scripts/**/*.test.mjs'],
    css: false,
    restoreMocks: true,
  },
}));
