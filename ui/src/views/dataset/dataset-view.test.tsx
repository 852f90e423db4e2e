// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor } from '@solidjs/testing-library'
import { afterEach, describe, expect, it } from 'vitest'
import type { Cid, DatasetManifest } from '../../../../core/domain/index.ts'
import { createFakeServices } from '../../testing/fake-services.ts'
import { renderWith } from '../../testing/render-with.tsx'
import { DatasetView, ITEMS_PER_PAGE } from './dataset-view.tsx'

afterEach(cleanup)

const AUDIO = 'bafkreiaudioaudioaudioaudioaudioaudioaudioaudioaudioaudio' as Cid
const MFCC = 'bafkreimfccmfccmfccmfccmfccmfccmfccmfccmfccmfccmfccmfcc'

function manifest(count: number): DatasetManifest {
  return {
    kind: 'banzai.dataset/1',
    sources: [
      {
        url: 'file:///x.zip',
        cid: AUDIO,
        skipped: [{ entry: 'wav/bad.wav', reason: 'not a RIFF/WAVE file' }],
      },
    ],
    items: Array.from({ length: count }, (_, i) => ({
      id: `${i % 2 ? 'slt' : 'awb'}/arctic_a${String(i).padStart(4, '0')}`,
      speaker: i % 2 ? 'slt' : 'awb',
      utterance: `arctic_a${i}`,
      audio: AUDIO,
      sampleRate: 16000,
      channels: 1,
      samples: 32000,
      seconds: 2,
      text: `sentence ${i}`,
      ...(i === 0 ? { mfcc: MFCC, frames: 2 } : {}),
    })) as DatasetManifest['items'],
  }
}

describe('DatasetView', () => {
  it('lists items by page and speaker, and plays one with its MFCC', async () => {
    const fake = createFakeServices({ [`/blobs/${MFCC}`]: () => new Response(new Uint8Array([1, 2, 3])) })
    renderWith(fake.services, () => <DatasetView cid="bafy" manifest={manifest(150)} />)
    expect(document.querySelectorAll('table.items tbody tr')).toHaveLength(ITEMS_PER_PAGE)
    expect(screen.getByText('Page 1 of 2')).toBeTruthy()
    expect(screen.getByText('1 skipped entries')).toBeTruthy()

    fireEvent.change(screen.getByRole('combobox'), { target: { value: 'slt' } })
    expect(document.querySelectorAll('table.items tbody tr')).toHaveLength(75)
    fireEvent.change(screen.getByRole('combobox'), { target: { value: '' } })

    fireEvent.click(screen.getByText('awb/arctic_a0000'))
    const audio = document.querySelector('.item-detail audio')
    expect(audio?.getAttribute('src')).toBe(`/api/blobs/${AUDIO}`)
    expect(screen.getByText('sentence 0', { selector: '.item-detail p' })).toBeTruthy()
    // The .npy is fetched for the heatmap; these three bytes are not one, and the reason shows.
    await waitFor(() => expect(screen.getByRole('alert').textContent).toMatch(/magic/))
  })
})
