import { existsSync } from 'node:fs';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';

/**
 * Two projects run the same tests (see docs/testing.md):
 * - `node`: every test/**\/*.test.ts and src/**\/*.test.ts, in forked Node processes.
 * - `chromium`: only test/**\/*.shared.test.ts, in headless Debian Chromium via Playwright.
 * Where Chromium is missing the chromium project runs one stub that skips with a message
 * naming it (or fails when BERTH_REQUIRE_ALL is set, as in CI).
 */
const chromiumPath = process.env.BERTH_CHROMIUM ?? '/usr/bin/chromium';
const haveChromium = existsSync(chromiumPath);
// The config is evaluated once per project too: warn once per process.
if (!haveChromium && !process.env.BERTH_CHROMIUM_WARNED) {
  process.env.BERTH_CHROMIUM_WARNED = '1';
  const outcome = process.env.BERTH_REQUIRE_ALL ? 'failing (BERTH_REQUIRE_ALL is set)' : 'skipping';
  console.warn(`berth: no Chromium at ${chromiumPath}: ${outcome} the chromium test project`);
}

// Cross-origin isolation, so the kernel's SharedArrayBuffer + Atomics.wait work in tests.
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

const chromiumProject = haveChromium
  ? {
      extends: true as const,
      server: { headers: isolationHeaders },
      test: {
        name: 'chromium',
        include: ['test/**/*.shared.test.ts'],
        setupFiles: ['test/support/browser-setup.ts'],
        provide: { berthEnvironment: 'chromium' as const },
        browser: {
          enabled: true,
          headless: true,
          screenshotFailures: false,
          provider: playwright({
            launchOptions: {
              executablePath: chromiumPath,
              // Playwright gives each launch a fresh temporary profile (--user-data-dir).
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
          }),
          instances: [{ browser: 'chromium' as const }],
        },
      },
    }
  : {
      extends: true as const,
      test: {
        name: 'chromium',
        include: ['test/browser-smoke/chromium-missing.check.ts'],
        environment: 'node',
        env: { BERTH_CHROMIUM_PATH: chromiumPath },
      },
    };

export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 300_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
          setupFiles: ['test/support/node-setup.ts'],
          provide: { berthEnvironment: 'node' },
          // Root-only suites mount and unmount; keep files in separate processes.
          pool: 'forks',
        },
      },
      chromiumProject,
    ],
  },
});
