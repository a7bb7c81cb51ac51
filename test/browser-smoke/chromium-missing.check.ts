/**
 * Stand-in for the `chromium` vitest project where Chromium is not installed (see
 * vitest.config.ts): skips with a message naming it, or fails under BERTH_REQUIRE_ALL.
 * Named *.check.ts so that no project picks it up otherwise.
 */
import { it } from 'vitest';
import { describeWith } from '../support/requirements.js';

const path = process.env.BERTH_CHROMIUM_PATH ?? '/usr/bin/chromium';

describeWith(
  [{ file: path, why: `Chromium at ${path} (Debian package 'chromium'; or set BERTH_CHROMIUM)` }],
  'shared tests in headless Chromium',
  () => {
    it('never runs: vitest.config.ts uses this file only when Chromium is missing', () => {});
  },
);
