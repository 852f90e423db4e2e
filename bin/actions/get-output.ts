import { mkdir, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { z } from 'zod'
import { DatasetManifest, LearnModelDocument } from '../../core/domain/index.ts'
import type { ApiClient } from '../client.ts'
import { openClient } from './open-client.ts'

/** The part of a tfjs `model.json` that `get` rewrites: where the weights file is. */
const ModelJson = z.looseObject({
  weightsManifest: z.array(z.looseObject({ paths: z.array(z.string()), weights: z.array(z.unknown()) })),
})

/** Downloads at once. */
const PARALLEL = 8

async function readBlob(client: ApiClient, cid: string): Promise<Uint8Array> {
  const response = await client.send('GET', `/blobs/${encodeURIComponent(cid)}`, undefined, {}, 0)
  return response.bytes
}

function parseJson(bytes: Uint8Array): unknown {
  if (bytes[0] !== 0x7b) return undefined
  try {
    return JSON.parse(new TextDecoder().decode(bytes))
  } catch {
    return undefined
  }
}

/** A name safe as one path segment. */
function segment(name: string): string {
  const safe = name.replace(/[^\w.-]/g, '_')
  return safe === '' || safe === '.' || safe === '..' ? '_' : safe
}

async function writeDataset(client: ApiClient, manifest: DatasetManifest, folder: string): Promise<string> {
  const jobs = manifest.items.flatMap((item) => {
    const dir = [segment(item.speaker), segment(item.utterance)]
    return [
      { cid: item.audio, path: join(folder, 'wav', dir[0]!, `${dir[1]!}.wav`) },
      ...(item.mfcc ? [{ cid: item.mfcc, path: join(folder, 'mfcc', dir[0]!, `${dir[1]!}.npy`) }] : []),
    ]
  })
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const job = jobs[next++]!
      await mkdir(join(job.path, '..'), { recursive: true })
      await writeFile(job.path, await readBlob(client, job.cid))
    }
  }
  await mkdir(folder, { recursive: true })
  await Promise.all(Array.from({ length: PARALLEL }, worker))
  await writeFile(join(folder, 'manifest.json'), JSON.stringify(manifest, null, 2))
  const npy = jobs.length - manifest.items.length
  return `dataset of ${manifest.items.length} items: ${folder}/manifest.json, wav/SPEAKER/UTTERANCE.wav${npy > 0 ? ', mfcc/SPEAKER/UTTERANCE.npy (float32 [frames, coefficients])' : ''}`
}

async function writeModel(client: ApiClient, model: LearnModelDocument, folder: string): Promise<string> {
  const json = ModelJson.parse(parseJson(await readBlob(client, model.model)))
  const weights = await readBlob(client, model.weights)
  // Point the weights manifest at the file beside it, so tf.loadLayersModel('file://…/model.json') reads it.
  const local = {
    ...json,
    weightsManifest: json.weightsManifest.map((g) => ({ ...g, paths: ['weights.bin'] })),
  }
  await mkdir(folder, { recursive: true })
  await writeFile(join(folder, 'model.json'), JSON.stringify(local))
  await writeFile(join(folder, 'weights.bin'), weights)
  await writeFile(join(folder, 'banzai-model.json'), JSON.stringify(model, null, 2))
  return `${model.task} model over ${model.labels.join(', ')}: ${folder}/model.json, weights.bin, banzai-model.json`
}

/**
 * `banzai get CID [-o PATH]`: a dataset becomes a folder (manifest.json, wav/, mfcc/), a model its
 * tfjs files (model.json, weights.bin) and LEARN's document; any other blob is written as is
 * (to PATH, or to stdout).
 */
export async function getOutput(cid: string, flags: Record<string, unknown>): Promise<void> {
  const client = openClient(flags)
  const bytes = await readBlob(client, cid)
  const out = typeof flags.output === 'string' ? resolve(flags.output) : undefined
  const doc = parseJson(bytes)
  const dataset = DatasetManifest.safeParse(doc)
  if (dataset.success) return void console.log(await writeDataset(client, dataset.data, out ?? resolve(cid)))
  const model = LearnModelDocument.safeParse(doc)
  if (model.success) return void console.log(await writeModel(client, model.data, out ?? resolve(cid)))
  if (out) {
    await writeFile(out, bytes)
    console.log(`${bytes.byteLength} bytes: ${out}`)
  } else process.stdout.write(bytes)
}
