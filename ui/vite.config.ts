import { fileURLToPath } from 'node:url'
import type { UserConfig } from 'vite'
import { solid } from './solid-plugin.ts'

const uiDir = fileURLToPath(new URL('.', import.meta.url))

/**
 * Builds the dashboard into ui/dist (served by the API at /). `npx vite --config ui/vite.config.ts`
 * serves it for development and proxies /api to BANZAI_API (default http://127.0.0.1:8080).
 * (A plain object: importing vite's `defineConfig` trips eslint-plugin-import-x's resolver.)
 */
const config: UserConfig = {
  root: uiDir,
  base: './',
  plugins: [solid()],
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
  },
  server: {
    proxy: { '/api': { target: process.env.BANZAI_API ?? 'http://127.0.0.1:8080', changeOrigin: true } },
  },
}

export default config
