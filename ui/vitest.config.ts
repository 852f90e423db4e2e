import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'
import { solid } from './solid-plugin.ts'

/**
 * The dashboard's component tests (every `.test.tsx` under ui, jsdom chosen per file) need the
 * Solid JSX transform. Pure `.test.ts` files and the browser `.e2e.test.ts` run in the root projects.
 */
export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  plugins: [solid()],
  resolve: { conditions: ['development', 'browser'] },
  test: {
    name: 'ui',
    include: ['ui/**/*.test.tsx'],
    exclude: ['node_modules/**', 'ui/dist/**'],
    testTimeout: 30_000,
  },
})
