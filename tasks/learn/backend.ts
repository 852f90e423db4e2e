import { createRequire } from 'node:module'
import { dirname } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm'

/** The TensorFlow.js backend LEARN ran on: native TensorFlow (tfjs-node) or WebAssembly. */
export type LearnBackend = 'tensorflow' | 'wasm'

/** The optional native package; not a static import, so that its absence is not an error. */
const NATIVE_PACKAGE = '@tensorflow/tfjs-node'

/** The backend in use, and why the native one is not, when it is not. */
export interface BackendChoice {
  backend: LearnBackend
  fallbackReason?: string
}

let selected: Promise<BackendChoice> | undefined

/**
 * Selects the backend once per process: `@tensorflow/tfjs-node` when it is installed and
 * registers with this copy of tfjs-core, else the wasm backend, whose .wasm files are read
 * from the installed package's dist folder.
 */
export async function ensureBackend(): Promise<BackendChoice> {
  selected ??= selectBackend()
  const choice = await selected
  // Someone else in this process may have switched backends since: switch back.
  if (tf.getBackend() !== choice.backend && !(await tf.setBackend(choice.backend))) {
    throw new Error(`the TensorFlow.js ${choice.backend} backend could not be selected again`)
  }
  return choice
}

async function selectBackend(): Promise<BackendChoice> {
  let fallbackReason = await tryImportNative()
  if (fallbackReason === undefined) {
    if (tf.findBackend('tensorflow') !== null && (await tf.setBackend('tensorflow')))
      return { backend: 'tensorflow' }
    fallbackReason = `${NATIVE_PACKAGE} loaded but did not register a usable "tensorflow" backend with this tfjs-core`
  }
  const require = createRequire(import.meta.url)
  // The package's main file is dist/tf-backend-wasm.node.js, beside the .wasm binaries.
  setWasmPaths(`${dirname(require.resolve('@tensorflow/tfjs-backend-wasm'))}/`)
  if (!(await tf.setBackend('wasm'))) throw new Error('the TensorFlow.js wasm backend failed to initialise')
  await tf.ready()
  return { backend: 'wasm', fallbackReason }
}

/** Imports the native package; returns why it could not be, or undefined when it was. */
async function tryImportNative(): Promise<string | undefined> {
  try {
    await (import(NATIVE_PACKAGE) as Promise<unknown>)
    return undefined
  } catch (error) {
    // Not installed (its libtensorflow download is optional): the wasm backend is the fallback.
    return `${NATIVE_PACKAGE} is not usable: ${error instanceof Error ? error.message : String(error)}`
  }
}
