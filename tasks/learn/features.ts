/** A row-major float32 matrix of frames: `rows` frames of `cols` values each. */
export interface FrameMatrix {
  data: Float32Array
  rows: number
  cols: number
}

/** Per-coefficient mean and standard deviation, from the training frames only. */
export interface Normalization {
  mean: number[]
  std: number[]
}

/** Below this a coefficient's standard deviation is taken as 1 (a constant column is left centred, not blown up). */
const MIN_STD = 1e-6

/** Mean and standard deviation of each column over all rows of the given matrices (float64 sums). */
export function computeNormalization(matrices: readonly FrameMatrix[]): Normalization {
  const cols = matrices[0]?.cols ?? 0
  const sum = new Float64Array(cols)
  const sumSq = new Float64Array(cols)
  let rows = 0
  for (const m of matrices) {
    for (let r = 0; r < m.rows; r++) {
      for (let c = 0; c < cols; c++) {
        const v = m.data[r * cols + c] ?? 0
        sum[c] = (sum[c] ?? 0) + v
        sumSq[c] = (sumSq[c] ?? 0) + v * v
      }
    }
    rows += m.rows
  }
  const mean: number[] = []
  const std: number[] = []
  for (let c = 0; c < cols; c++) {
    const mu = rows > 0 ? (sum[c] ?? 0) / rows : 0
    const variance = rows > 0 ? Math.max(0, (sumSq[c] ?? 0) / rows - mu * mu) : 1
    const sd = Math.sqrt(variance)
    mean.push(mu)
    std.push(sd < MIN_STD ? 1 : sd)
  }
  return { mean, std }
}

/** Returns a copy with each column centred and scaled: (x - mean) / std. */
export function normalizeFrames(m: FrameMatrix, norm: Normalization): FrameMatrix {
  const data = new Float32Array(m.data.length)
  for (let r = 0; r < m.rows; r++) {
    for (let c = 0; c < m.cols; c++) {
      const i = r * m.cols + c
      data[i] = ((m.data[i] ?? 0) - (norm.mean[c] ?? 0)) / (norm.std[c] ?? 1)
    }
  }
  return { data, rows: m.rows, cols: m.cols }
}

/**
 * Stacks each frame with its `k` neighbours on each side (the edge frames repeated past the
 * ends): `rows` × `cols * (2k + 1)`, oldest neighbour first.
 */
export function stackContext(m: FrameMatrix, k: number): FrameMatrix {
  const width = 2 * k + 1
  const cols = m.cols * width
  const data = new Float32Array(m.rows * cols)
  for (let r = 0; r < m.rows; r++) {
    for (let j = 0; j < width; j++) {
      const source = Math.min(m.rows - 1, Math.max(0, r + j - k))
      data.set(m.data.subarray(source * m.cols, (source + 1) * m.cols), r * cols + j * m.cols)
    }
  }
  return { data, rows: m.rows, cols }
}

/** Concatenates matrices of the same width row-wise. */
export function concatFrames(matrices: readonly FrameMatrix[], cols: number): FrameMatrix {
  const rows = matrices.reduce((n, m) => n + m.rows, 0)
  const data = new Float32Array(rows * cols)
  let offset = 0
  for (const m of matrices) {
    data.set(m.data.subarray(0, m.rows * cols), offset)
    offset += m.rows * cols
  }
  return { data, rows, cols }
}

/** Keeps every `stride`-th row (the first, then every stride after it); stride 1 returns the matrix itself. */
export function subsampleRows(m: FrameMatrix, stride: number): FrameMatrix {
  if (stride <= 1) return m
  const rows = Math.ceil(m.rows / stride)
  const data = new Float32Array(rows * m.cols)
  for (let r = 0; r < rows; r++)
    data.set(m.data.subarray(r * stride * m.cols, (r * stride + 1) * m.cols), r * m.cols)
  return { data, rows, cols: m.cols }
}
