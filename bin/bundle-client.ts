// Build step (after tsc): bundles dist/bin/program.js with the client actions, the domain and
// the packages they import (zod, commander, xstate…) into dist/bin/client-program.js, which
// cli.js runs for the client commands and help. Node then reads one file instead of ~150
// modules, and zod's unused parts (its ~50 locales) are left out. Modules that only servers,
// workers and store commands need stay external: cli.js never sends those commands here.
// Usage: node --import tsx bin/bundle-client.ts (run by `npm run build`).
import { join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build, type Plugin } from 'esbuild'

const ROOT = fileURLToPath(new URL('../', import.meta.url))
const DIST_BIN = join(ROOT, 'dist', 'bin')
const DOMAIN = join(ROOT, 'dist', 'core', 'domain') + sep
const BUNDLED_FOLDERS = [DIST_BIN + sep, DOMAIN]
const SERVER_SIDE = [
  join(DIST_BIN, 'wiring') + sep,
  join(DIST_BIN, 'commands', 'demo.js'),
  join(DIST_BIN, 'actions', 'store-actions.js'),
  join(DIST_BIN, 'curve-key-pair.js'),
]
/** Packages the bundle leaves to node_modules: pino runs transports in threads by file name. */
const EXTERNAL_PACKAGES = ['pino', 'cli-progress']

/** Whether a module of the build goes into the bundle. */
function bundled(path: string): boolean {
  return BUNDLED_FOLDERS.some((f) => path.startsWith(f)) && !SERVER_SIDE.some((s) => path.startsWith(s))
}

const externals = new Set<string>()

/** Keeps server-side modules of the build external, their paths made relative to dist/bin. */
const serverSideExternal: Plugin = {
  name: 'server-side-external',
  setup(b) {
    b.onResolve({ filter: /^\.\.?\// }, (args) => {
      if (!args.importer.startsWith(join(ROOT, 'dist') + sep)) return undefined
      const path = resolve(args.resolveDir, args.path)
      // The domain's modules only define schemas and functions: declared free of side effects,
      // the ones no client uses (the pipeline machine, and with it xstate) stay out.
      if (bundled(path)) return path.startsWith(DOMAIN) ? { path, sideEffects: false } : undefined
      const fromBin = relative(DIST_BIN, path).split(sep).join('/')
      externals.add(fromBin)
      return { path: fromBin.startsWith('.') ? fromBin : `./${fromBin}`, external: true }
    })
  },
}

/**
 * Gives zod's `z.locales` (and `z.core.locales`) only English (the default it registers itself): nothing here calls
 * `z.config(z.locales.xx())`, and the other ~50 locales were half the bundle.
 */
const englishOnlyZod: Plugin = {
  name: 'english-only-zod',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /zod\/v4\/(classic\/external|core\/index)\.js$/.test(args.importer)
        ? { path: join(args.resolveDir, '../locales/en.js'), namespace: 'english-only-zod' }
        : undefined,
    )
    b.onLoad({ filter: /.*/, namespace: 'english-only-zod' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(args.path)}`,
      resolveDir: ROOT,
    }))
  },
}

const result = await build({
  entryPoints: { 'client-program': join(DIST_BIN, 'program.js') },
  outdir: DIST_BIN,
  // Split at the dynamic imports: each chunk is a plain ES module, which esbuild tree-shakes
  // (a lazily imported module in a single file is wrapped whole). Chunks sit beside the entry,
  // so the external paths, relative to dist/bin, hold for all of them.
  splitting: true,
  chunkNames: 'client-chunk-[hash]',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: EXTERNAL_PACKAGES,
  plugins: [serverSideExternal, englishOnlyZod],
  // commander is CommonJS: its require() of node: modules needs a real require in an ES module.
  banner: {
    js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  },
  metafile: true,
  logLevel: 'warning',
})
// The modules with code in the output (tree-shaken ones, like xstate, have none).
const inputs = [
  ...new Set(
    Object.values(result.metafile.outputs).flatMap((o) =>
      Object.entries(o.inputs).flatMap(([name, use]) => (use.bytesInOutput > 0 ? [name] : [])),
    ),
  ),
]
const packages = new Set(inputs.flatMap((i) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(i)?.[1] ?? []))
process.stdout.write(
  `bundle-client: ${inputs.length} modules into dist/bin/client-program.js and its chunks` +
    ` (packages: ${[...packages].sort().join(', ')}; left external: ${[...externals].sort().join(', ')})\n`,
)
