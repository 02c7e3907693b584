import { defineConfig, devices } from '@playwright/test';

// Against a real server: E2E_BASE_URL=http://127.0.0.1:8000 npm run e2e (the server serves
// dist/). Without it, the tests build the app and start the mock server of e2e/mock-server.mjs.
const external = process.env.E2E_BASE_URL?.replace(/\/+$/, '');
const mockPort = Number(process.env.MOCK_PORT ?? 4173);

export default defineConfig({
  testDir: './e2e',
  outputDir: 'test-results/playwright',
  timeout: 120_000,
  expect: { timeout: 45_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  use: {
    ...devices['Desktop Chrome'],
    baseURL: external ?? `http://127.0.0.1:${mockPort}`,
    headless: true,
    screenshot: 'only-on-failure',
    trace: 'off',
    launchOptions: {
      // Debian's Chromium; Playwright never downloads a browser here.
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: external
    ? undefined
    : {
        command: 'npm run build --silent && node e2e/mock-server.mjs',
        url: `http://127.0.0.1:${mockPort}/health`,
        env: { PORT: String(mockPort) },
        reuseExistingServer: false,
        timeout: 180_000,
        stdout: 'ignore',
        stderr: 'pipe',
      },
});
