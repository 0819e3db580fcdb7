import { defineConfig } from 'vitest/config';

// Two projects: fast unit tests by default, slower integration tests (real servers, child
// processes, real training) in their own project. `npm test` runs both, as CI does.
export default defineConfig({
  test: {
    reporters: ['default'],
    globalSetup: ['tests/support/temp-root.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/**/*.test.ts'],
          exclude: ['tests/**/*.int.test.ts', 'node_modules/**'],
          testTimeout: 60_000,
          pool: 'forks',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/**/*.int.test.ts'],
          testTimeout: 600_000,
          hookTimeout: 300_000,
          pool: 'forks',
          fileParallelism: false,
        },
      },
    ],
  },
});
