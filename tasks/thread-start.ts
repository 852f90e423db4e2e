import { Worker } from 'node:worker_threads'

/**
 * Starts a worker thread on the module `name` (no extension) beside `importerUrl`: its `.js`
 * in the build, or its `.ts` source, which a thread can load only once tsx's loader is
 * registered in it (Node 20 threads do not take `--import` in `execArgv`), hence a bootstrap.
 */
export function startThread(importerUrl: string, name: string): Worker {
  const isSource = importerUrl.endsWith('.ts')
  const entry = new URL(`./${name}${isSource ? '.ts' : '.js'}`, importerUrl)
  if (!isSource) return new Worker(entry)
  const bootstrap = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}) })`
  return new Worker(bootstrap, { eval: true })
}
