import { createRequire } from 'node:module'
import type { PluginOption } from 'vite'

type SolidPlugin = () => PluginOption

/**
 * vite-plugin-solid, loaded through `require` (its CommonJS build exports the function itself):
 * an ES import of it crashes eslint-plugin-import-x's resolver ("node with invalid interface
 * loaded as resolver"), which would stop `eslint ui`.
 */
const loaded = createRequire(import.meta.url)('vite-plugin-solid') as SolidPlugin | { default: SolidPlugin }
export const solid: SolidPlugin = typeof loaded === 'function' ? loaded : loaded.default
