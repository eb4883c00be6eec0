import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // End-to-end tests start real HTTP servers; give a busy 2-core machine room without hiding real hangs.
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
  },
});
