// Light on purpose: nothing here loads TensorFlow.js, which only the training thread
// (learn-thread.ts) does. Training and model files: train.ts, model-io.ts, backend.ts.
export { learn } from './learn-task.ts'
export { DEFAULT_LEARN_OPTIONS, resolveLearnOptions, type LearnOptions } from './options.ts'
export { LearnModelDocument, MODEL_KIND } from '../../core/domain/index.ts'
export { encodeModelJson } from './model-json.ts'
export { splitByUtterance, type UtteranceSplit } from './split.ts'
