/// <reference types="vitest/config" />
import { copyFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

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

// The app's settings are not baked in: it reads `GET /api/config` at start (src/config/runtime.ts),
// so one build serves every deployment. The widget is built after this by vite.widget.config.ts.
/** Shared with vite.widget.config.ts: React 18's own useSyncExternalStore instead of the shim. */
export const alias = [
  { find: /^use-sync-external-store\/shim(\/index\.js)?$/, replacement: resolve(import.meta.dirname, 'src/lib/shims/use-sync-external-store.ts') },
];

export default defineConfig({
  plugins: [react(), spaFallback()],
  resolve: { alias },
  build: {
    // Every browser the app supports has <link rel=modulepreload>: no polyfill in the bundle.
    modulePreload: { polyfill: false },
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
});
