// ESLint 9 flat config. `npm run lint` runs it after `tsc` (tsc stays the type checker).
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import reactHooks from 'eslint-plugin-react-hooks';
import { reactRefresh } from 'eslint-plugin-react-refresh';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// `const { omitted, ...rest } = value` is how an object loses a key.
const unusedVars = { args: 'after-used', ignoreRestSiblings: true };

export default defineConfig([
  // protocol.generated.ts is written by `npm run gen:protocol`, never by hand.
  globalIgnores(['dist/', 'test-results/', 'playwright-report/', 'src/lib/protocol.generated.ts']),

  // Node scripts, the mock server and this file.
  {
    files: ['**/*.{js,mjs}'],
    extends: [js.configs.recommended],
    languageOptions: { globals: globals.node },
    rules: { 'no-unused-vars': ['error', unusedVars] },
  },

  // All TypeScript, type-aware. Building the type information is most of the cost (about one more
  // `tsc` pass); with it, the whole recommended-type-checked set costs little more than a few rules.
  {
    files: ['**/*.{ts,tsx}'],
    extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: { '@typescript-eslint/no-unused-vars': ['error', unusedVars] },
  },

  // The app and its tests (tsconfig.json): React.
  {
    files: ['src/**/*.{ts,tsx}'],
    extends: [reactHooks.configs.flat.recommended, reactRefresh.configs.vite()],
    languageOptions: { globals: globals.browser },
  },

  // Build config and browser tests: their types come from tsconfig.node.json.
  {
    files: ['vite.config.ts', 'vite.widget.config.ts', 'playwright.config.ts', 'e2e/**/*.ts'],
    languageOptions: {
      globals: globals.node,
      parserOptions: { projectService: false, project: './tsconfig.node.json' },
    },
  },
]);
