// The e2e suite: the built CLI against the real lab fleet (test/e2e/lab). Run it with
// `npm run test:e2e` (root, Debian-like machine), which builds first and always takes the
// fleet down. It lives here rather than at the repository root so that tsconfig.json's
// `include` (and with it the linter) covers it.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('../../', import.meta.url)),
  test: {
    include: ['test/e2e/**/*.test.ts'],
    globalSetup: ['test/e2e/global-setup.ts'],
    // One fleet, audited as a whole: no parallel files, generous time for real hosts.
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 300_000,
    teardownTimeout: 120_000,
  },
});
