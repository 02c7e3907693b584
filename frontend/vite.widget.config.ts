/**
 * The widget for shops' pages, built after the app (`npm run build` runs both):
 *
 * 1. this config: the panel, `src/widget/panel.ts` -> one ES module with React and the chat,
 *    its CSS put inside it (the panel adds it to its shadow root, never to the shop's page),
 *    named by its content's hash: `dist/widget/panel-<hash>.js`;
 * 2. then (closeBundle) the loader, `src/widget/loader.ts` -> `dist/widget.js`, a small classic
 *    script (IIFE) that knows the panel's path and `import()`s it from `data-server` on open.
 *
 * `dist/widget/manifest.json` names both files for `npm run check-budget`.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { build, defineConfig, type InlineConfig, type Plugin } from 'vite';
import { alias } from './vite.config.ts';

const root = import.meta.dirname;
const dist = resolve(root, 'dist');
const widgetDir = resolve(dist, 'widget');
const CSS_PLACEHOLDER = '__HSC_WIDGET_CSS_PLACEHOLDER__';

/** rem -> px (16 px): inside a shop's page, 1rem is whatever the shop's <html> font size is. */
export function remToPx(): Plugin {
  return {
    name: 'hsc-rem-to-px',
    enforce: 'pre',
    transform(code, id) {
      if (!/\.css(?:$|\?)/.test(id)) return null;
      return { code: code.replace(/(\d*\.?\d+)rem\b/g, (_, n: string) => `${Number((Number(n) * 16).toFixed(3))}px`), map: null };
    },
  };
}

function loaderConfig(panelPath: string): InlineConfig {
  return {
    configFile: false,
    root,
    logLevel: 'warn',
    publicDir: false,
    plugins: [remToPx()],
    define: { __HSC_PANEL_PATH__: JSON.stringify(panelPath) },
    build: {
      outDir: dist,
      emptyOutDir: false,
      target: 'es2020',
      reportCompressedSize: false,
      lib: { entry: resolve(root, 'src/widget/loader.ts'), formats: ['iife'], name: 'HscSupportWidget', fileName: () => 'widget.js' },
    },
  };
}

/** After the panel is written: its CSS into its code, its final name, then the loader. */
function finishWidget(): Plugin {
  return {
    name: 'hsc-widget-finish',
    apply: 'build',
    async closeBundle() {
      const jsPath = resolve(widgetDir, 'panel.js');
      const cssPath = resolve(widgetDir, 'panel.css');
      let code = readFileSync(jsPath, 'utf8');
      const css = existsSync(cssPath) ? readFileSync(cssPath, 'utf8') : '';
      if (!css) throw new Error('widget build: the panel has no CSS (dist/widget/panel.css missing)');
      const placeholder = new RegExp(`(["'\`])${CSS_PLACEHOLDER}\\1`);
      if (!placeholder.test(code)) throw new Error('widget build: the CSS placeholder is not in the panel code');
      code = code.replace(placeholder, () => JSON.stringify(css));
      const hash = createHash('sha256').update(code).digest('base64url').slice(0, 10).replace(/[-_]/g, 'x');
      const panel = `widget/panel-${hash}.js`;
      writeFileSync(resolve(dist, panel), code);
      rmSync(jsPath);
      rmSync(cssPath);
      await build(loaderConfig(`/${panel}`));
      writeFileSync(resolve(widgetDir, 'manifest.json'), `${JSON.stringify({ loader: 'widget.js', panel }, null, 2)}\n`);
    },
  };
}

export default defineConfig({
  plugins: [remToPx(), react(), finishWidget()],
  resolve: { alias },
  publicDir: false,
  define: {
    // Library mode leaves process.env alone; React needs its production build.
    'process.env.NODE_ENV': JSON.stringify('production'),
    __HSC_WIDGET_CSS__: JSON.stringify(CSS_PLACEHOLDER),
  },
  build: {
    outDir: widgetDir,
    emptyOutDir: true,
    target: 'es2022',
    cssCodeSplit: false,
    reportCompressedSize: false,
    lib: { entry: resolve(root, 'src/widget/panel.ts'), formats: ['es'], fileName: () => 'panel.js', cssFileName: 'panel' },
    // One file: the panel is loaded as a whole when opened (the handoff form and the language
    // catalogs, lazy chunks in the app, come inside it).
    rolldownOptions: { output: { codeSplitting: false } },
  },
});
