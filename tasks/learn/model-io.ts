import * as tf from '@tensorflow/tfjs'

export { encodeModelJson } from './model-json.ts'

/** A model as TensorFlow.js saves it: the artifacts (topology, weight specs) and the weights' bytes. */
export interface ExportedModel {
  artifacts: tf.io.ModelArtifacts
  /** All weights, concatenated in the order of `artifacts.weightSpecs` (the `.bin` file). */
  weights: Uint8Array
}

/** Saves a model in memory through `tf.io.withSaveHandler` (no optimizer state). */
export async function exportModel(model: tf.LayersModel): Promise<ExportedModel> {
  let exported: ExportedModel | undefined
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const data =
        artifacts.weightData === undefined
          ? new ArrayBuffer(0)
          : tf.io.CompositeArrayBuffer.join(artifacts.weightData)
      exported = { artifacts, weights: new Uint8Array(data) }
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(0),
          modelTopologyType: 'JSON',
          weightDataBytes: data.byteLength,
        },
      }
    }),
  )
  if (!exported) throw new Error('TensorFlow.js did not hand the model to the save handler')
  return exported
}

/** Loads a model saved by LEARN from the bytes of its `model.json` and weights, with `tf.io.fromMemory`. */
export async function loadModel(modelJson: Uint8Array, weights: Uint8Array): Promise<tf.LayersModel> {
  const json = JSON.parse(new TextDecoder().decode(modelJson)) as tf.io.ModelJSON
  const specs = json.weightsManifest.flatMap((group) => group.weights)
  const buffer = weights.buffer.slice(
    weights.byteOffset,
    weights.byteOffset + weights.byteLength,
  ) as ArrayBuffer
  const artifacts = tf.io.getModelArtifactsForJSONSync(json, specs, buffer)
  return tf.loadLayersModel(tf.io.fromMemory(artifacts))
}
