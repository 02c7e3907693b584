// wouter imports `use-sync-external-store/shim` for React < 18; React 18 has the hook itself.
// vite.config.ts points the shim here (~1.8 KB less initial JavaScript).
export { useSyncExternalStore } from 'react';
