import type * as tf from '@tensorflow/tfjs'

/**
 * The `model.json` of a saved model (format "layers-model"): topology, training config, and a
 * weights manifest whose one path is `weightsPath` — the weights' CID, so that the file resolves
 * its weights relative to `GET /api/blobs/<cid>`. Types only from tfjs: the task writes this
 * file on the worker's own thread, where TensorFlow.js is never loaded.
 */
export function encodeModelJson(artifacts: tf.io.ModelArtifacts, weightsPath: string): Uint8Array {
  const json: tf.io.ModelJSON = {
    modelTopology: artifacts.modelTopology ?? {},
    format: artifacts.format ?? 'layers-model',
    generatedBy: artifacts.generatedBy ?? 'TensorFlow.js tfjs-layers',
    convertedBy: artifacts.convertedBy ?? null,
    weightsManifest: [{ paths: [weightsPath], weights: artifacts.weightSpecs ?? [] }],
  }
  if (artifacts.trainingConfig) json.trainingConfig = artifacts.trainingConfig
  return new TextEncoder().encode(JSON.stringify(json))
}
