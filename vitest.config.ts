import { defineConfig } from 'vitest/config'
import { solid } from './ui/solid-plugin.ts'

// Process-spawning suites (*.int.test.ts, *.e2e.test.ts) run one file at a time so they stay
// steady on 2 cores; pure unit tests run in parallel.
export default defineConfig({
  test: {
    projects: [
      {
        // The dashboard's component tests need the Solid JSX transform; jsdom is chosen per file.
        plugins: [solid()],
        resolve: { conditions: ['development', 'browser'] },
        test: {
          name: 'ui',
          include: ['ui/**/*.test.tsx'],
          exclude: ['**/node_modules/**', 'ui/dist/**'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'unit',
          include: ['{core,transport,tasks,api,ui,bin,bench,test}/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', '**/*.e2e.test.ts', '**/node_modules/**'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['**/*.int.test.ts', '**/*.e2e.test.ts'],
          exclude: ['**/node_modules/**'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
})
