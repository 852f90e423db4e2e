import { describe, expect, test } from 'vitest'
import { catalogue } from './catalogue/index.ts'
import { ValidationError } from './errors.ts'
import { parsePipelineDocument } from './pipeline-spec.ts'

const seed = [
  {
    call: 'FETCH_FESTVOX',
    args: ['http://festvox.org/cmu_arctic/cmu_arctic/packed/cmu_us_awb_arctic-0.90-release.zip'],
  },
  { call: 'FILTER_LONGER', args: [5] },
  { call: 'EXTRACT_MFCC', args: [32, 24, 1, 8000, 16000] },
  { call: 'LEARN', args: [] },
]

function rejection(doc: unknown): ValidationError {
  try {
    parsePipelineDocument(doc, catalogue)
  } catch (error) {
    if (error instanceof ValidationError) return error
    throw error
  }
  throw new Error('the document was accepted')
}

describe('pipeline documents', () => {
  test("the seed's bare array is accepted as is, declarations resolved", () => {
    const spec = parsePipelineDocument(seed, catalogue)
    expect(spec.tasks.map((t) => [t.call, t.version, t.lane])).toEqual([
      ['FETCH_FESTVOX', 1, 'default'],
      ['FILTER_LONGER', 1, 'default'],
      ['EXTRACT_MFCC', 1, 'default'],
      ['LEARN', 2, 'default'],
    ])
    expect(spec.cache).toBe(true)
    expect(spec.name).toBe('FETCH_FESTVOX → FILTER_LONGER → EXTRACT_MFCC → LEARN')
  })

  test('the named form with labels, cache, lane and timeout', () => {
    const spec = parsePipelineDocument(
      {
        name: 'awb',
        tasks: [{ call: 'SLEEP', args: [10], lane: 'gpu', timeoutMs: 5000 }],
        labels: { team: 'audio' },
        cache: false,
      },
      catalogue,
    )
    expect(spec).toEqual({
      name: 'awb',
      labels: { team: 'audio' },
      cache: false,
      tasks: [{ call: 'SLEEP', args: [10], version: 1, lane: 'gpu', timeoutMs: 5000 }],
    })
  })

  const malformed: [string, unknown, string][] = [
    [
      'a string arg where an integer is due',
      [seed[0], seed[1], { call: 'EXTRACT_MFCC', args: ['32', 24, 1, 8000, 16000] }],
      'tasks[2].args[0] (nfilt) must be an integer between 1 and 128, got "32"',
    ],
    ['an unknown task', [{ call: 'FETCH_FESTIVAL', args: [] }], 'tasks[0].call must be a known task'],
    [
      'too few arguments',
      [{ call: 'EXTRACT_MFCC', args: [32, 24] }],
      'tasks[0].args must hold 5 to 6 arguments',
    ],
    ['too many arguments', [{ call: 'NOOP', args: [1] }], 'tasks[0].args must hold 0 arguments'],
    [
      'numcep above nfilt',
      [{ call: 'EXTRACT_MFCC', args: [20, 24, 1, 8000, 16000] }],
      'tasks[0].args[1] (numcep) must be at most nfilt (20), got 24',
    ],
    [
      'highfreq above Nyquist',
      [{ call: 'EXTRACT_MFCC', args: [32, 24, 1, 9000, 16000] }],
      'tasks[0].args[3] (highfreq) must be at most samplerate / 2 (8000), got 9000',
    ],
    [
      'a URL of another scheme',
      [{ call: 'FETCH_FESTVOX', args: ['ftp://x/y.zip'] }],
      'tasks[0].args[0] (url) must be an http:, https: or file: URL',
    ],
    [
      'a negative duration',
      [{ call: 'FILTER_LONGER', args: [-1] }],
      'tasks[0].args[0] (seconds) must be a number between 0 and 86400, got -1',
    ],
    [
      'an unknown option',
      [{ call: 'LEARN', args: [{ epoch: 3 }] }],
      'tasks[0].args[0].epoch is not a known option',
    ],
    [
      'an option of the wrong type',
      [{ call: 'LEARN', args: [{ epochs: 'many' }] }],
      'tasks[0].args[0].epochs (epochs) must be an integer between 1 and 1000, got "many"',
    ],
    [
      'an nfft that is not a power of two',
      [{ call: 'EXTRACT_MFCC', args: [32, 24, 1, 8000, 16000, { nfft: 1000 }] }],
      'tasks[0].args[5].nfft (nfft) must be a power of two, got 1000',
    ],
    [
      'too many coefficients for meyda',
      [{ call: 'EXTRACT_MFCC', args: [64, 48, 1, 8000, 16000, { engine: 'meyda' }] }],
      'tasks[0].args[1] (numcep) must be at most 40 with engine "meyda", got 48',
    ],
    [
      'a frame longer than the FFT',
      [{ call: 'EXTRACT_MFCC', args: [32, 24, 1, 8000, 44100] }],
      'tasks[0].args[4] (samplerate) must be such that a frame (winlen × samplerate = 1103 samples) fits in nfft (512)',
    ],
    [
      'an nfft shorter than the frame',
      [{ call: 'EXTRACT_MFCC', args: [32, 24, 1, 8000, 22050, { nfft: 512 }] }],
      'tasks[0].args[5].nfft (nfft) must be at least the frame length (winlen × samplerate = 551 samples), got 512',
    ],
    ['an empty pipeline', [], 'tasks must be an array of 1 to 100 tasks'],
    ['a task that is not an object', ['NOOP'], 'tasks[0] must be an object'],
    [
      'a bad lane',
      { tasks: [{ call: 'NOOP', lane: 'GPU!' }] },
      'tasks[0].lane must be a lowercase lane name',
    ],
    [
      'a bad timeout',
      { tasks: [{ call: 'NOOP', timeoutMs: 0 }] },
      'tasks[0].timeoutMs must be an integer between 1',
    ],
    ['cache not a boolean', { tasks: [{ call: 'NOOP' }], cache: 'yes' }, 'cache must be true or false'],
    ['an unknown top-level field', { tasks: [{ call: 'NOOP' }], steps: [] }, 'steps is not a known field'],
    ['args not an array', [{ call: 'SLEEP', args: 5 }], 'tasks[0].args must be an array, got 5'],
    ['not a document at all', 42, 'the document must be an array of tasks'],
    ['an unknown task field', [{ call: 'NOOP', arg: [] }], 'tasks[0].arg is not a known field'],
  ]

  test.each(malformed)('rejects %s, naming the field and the rule', (_, doc, message) => {
    const error = rejection(doc)
    expect(error.errors.map((e) => e.message).join('\n')).toContain(message)
  })

  test('every problem is reported, not just the first', () => {
    const error = rejection([
      { call: 'FILTER_LONGER', args: ['5s'] },
      { call: 'SLEEP', args: [-3] },
    ])
    expect(error.errors.map((e) => e.path)).toEqual(['tasks[0].args[0]', 'tasks[1].args[0]'])
  })
})
