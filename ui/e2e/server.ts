import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { createApi, startApiServer } from '../../api/index.ts'
import { catalogue } from '../../core/domain/index.ts'
import { startInProcess, type InProcess } from '../../test/harness/in-process.ts'

const repoRoot = fileURLToPath(new URL('../../', import.meta.url))

/** A real Banzai API serving the built dashboard, over an in-process monitor and workers. */
export interface DashboardServer {
  url: string
  env: InProcess
  /** CIDs of documents put in the store for the dataset and training views. */
  fixtures: { dataset: string; model: string; bigDataset: { cid: string; bytes: number; items: number } }
  stop(): Promise<void>
}

/** Writes a float32 little-endian NumPy 1.0 file, as EXTRACT_MFCC does. */
function encodeNpy(rows: number[][]): Uint8Array {
  const cols = rows[0]?.length ?? 0
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows.length}, ${cols}), }`
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n'
  const out = new Uint8Array(10 + header.length + rows.length * cols * 4)
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0])
  const view = new DataView(out.buffer)
  view.setUint16(8, header.length, true)
  out.set(new TextEncoder().encode(header), 10)
  rows.flat().forEach((v, i) => view.setFloat32(10 + header.length + i * 4, v, true))
  return out
}

/** Puts a one-item dataset (the golden WAV and its reference MFCC), a 20k-item one and a LEARN model document in the store. */
async function putFixtures(env: InProcess): Promise<DashboardServer['fixtures']> {
  const put = async (bytes: Uint8Array): Promise<string> => String((await env.store.put(bytes)).cid)
  const json = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value))
  const wav = readFileSync(`${repoRoot}fixtures/golden/arctic_a0001.wav`)
  const golden = JSON.parse(readFileSync(`${repoRoot}fixtures/golden/arctic_a0001.mfcc.json`, 'utf8')) as {
    mfcc: number[][]
  }
  const audio = await put(new Uint8Array(wav))
  const mfcc = await put(encodeNpy(golden.mfcc))
  const samples = Math.round((wav.byteLength - 44) / 2)
  const item = {
    id: 'awb/arctic_a0001',
    speaker: 'awb',
    utterance: 'arctic_a0001',
    audio,
    sampleRate: 16000,
    channels: 1,
    samples,
    seconds: samples / 16000,
  }
  const dataset = await put(
    json({
      kind: 'banzai.dataset/1',
      sources: [
        {
          url: 'file:///fixtures/cmu_us_awb_arctic.zip',
          cid: audio,
          skipped: [{ entry: 'wav/broken.wav', reason: 'not a RIFF/WAVE file' }],
        },
      ],
      items: [
        {
          ...item,
          text: 'Author of the danger trail, Philip Steels, etc.',
          mfcc,
          frames: golden.mfcc.length,
        },
      ],
    }),
  )
  const epochs = Array.from({ length: 20 }, (_, i) => ({
    loss: 1.4 * Math.exp(-i / 6) + 0.1,
    valLoss: 1.5 * Math.exp(-i / 7) + 0.18,
    acc: 0.5 + 0.45 * (1 - Math.exp(-i / 5)),
    valAcc: 0.48 + 0.4 * (1 - Math.exp(-i / 6)),
  }))
  const model = await put(
    json({
      kind: 'banzai.model/1',
      task: 'classifier',
      backend: 'wasm',
      model: audio,
      weights: audio,
      labels: ['awb', 'bdl', 'slt'],
      metrics: {
        epochs,
        test: {
          accuracy: 0.9,
          confusion: [
            [9, 1, 0],
            [0, 8, 2],
            [0, 0, 10],
          ],
          frameAccuracy: 0.81,
          recordings: 30,
        },
      },
    }),
  )
  // The whole ARCTIC's size (issue 13): 20,376 items over 18 speakers, all of one small WAV.
  const count = 20_376
  const bigItems = Array.from({ length: count }, (_, i) => {
    const speaker = `spk${String(i % 18).padStart(2, '0')}`
    const utterance = `arctic_${String(Math.floor(i / 18)).padStart(4, '0')}`
    return { ...item, id: `${speaker}/${utterance}`, speaker, utterance, text: `prompt number ${i}` }
  })
  const bigBytes = json({ kind: 'banzai.dataset/1', sources: [], items: bigItems })
  const bigDataset = { cid: await put(bigBytes), bytes: bigBytes.byteLength, items: count }
  return { dataset, model, bigDataset }
}

/** Starts monitor, two workers and the API (with the dashboard from `uiDir`) on 127.0.0.1. */
export async function startDashboardServer(options: {
  uiDir: string
  port?: number
}): Promise<DashboardServer> {
  const env = startInProcess({ workers: 2 })
  const app = createApi({
    monitor: env.monitor,
    queries: env.queries,
    store: env.store,
    catalogue,
    transportInfo: () => null,
    uiDir: options.uiDir,
    sseHeartbeatMs: 2000,
  })
  const server = await startApiServer(app, { port: options.port ?? 0, host: '127.0.0.1' })
  const fixtures = await putFixtures(env)
  return {
    url: server.url,
    env,
    fixtures,
    async stop() {
      await server.close()
      await env.stop()
    },
  }
}
