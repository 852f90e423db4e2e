import { describe, expect, test } from 'vitest'
import { catalogue } from './catalogue/index.ts'
import { ValidationError } from './errors.ts'
import { parsePipelineDocument } from './pipeline-spec.ts'
import { resolveStepInputs } from './pipeline-spec-graph.ts'

const fetch = (id: string) => ({ id, inputs: [], call: 'FETCH_FESTVOX', args: ['file:///data/x.zip'] })
const mfcc = (id: string, inputs: string[]) => ({
  id,
  inputs,
  call: 'EXTRACT_MFCC',
  args: [26, 13, 0, 8000, 16000],
})

/** The field errors a document is rejected with. */
function errorsOf(doc: unknown): { path: string; message: string }[] {
  try {
    parsePipelineDocument(doc, catalogue)
  } catch (error) {
    if (error instanceof ValidationError) return error.errors
    throw error
  }
  throw new Error('the document was accepted')
}

describe('graph documents', () => {
  test('a graph is accepted; its ids and inputs are recorded and resolve to steps', () => {
    const spec = parsePipelineDocument(
      {
        tasks: [
          fetch('a'),
          fetch('b'),
          mfcc('ma', ['a']),
          mfcc('mb', ['b']),
          { call: 'LEARN', inputs: ['ma', 'mb'] },
        ],
      },
      catalogue,
    )
    expect(spec.tasks.map((t) => [t.id, t.inputs])).toEqual([
      ['a', []],
      ['b', []],
      ['ma', ['a']],
      ['mb', ['b']],
      [undefined, ['ma', 'mb']],
    ])
    expect(resolveStepInputs(spec.tasks)).toEqual([[], [], [0], [1], [2, 3]])
  })

  test('a list document keeps its meaning: no ids recorded, each step takes the previous one', () => {
    const spec = parsePipelineDocument(
      [{ call: 'FETCH_FESTVOX', args: ['file:///data/x.zip'] }, { call: 'NOOP' }],
      catalogue,
    )
    expect(spec.tasks.map((t) => [t.id, t.inputs])).toEqual([
      [undefined, undefined],
      [undefined, undefined],
    ])
    expect(resolveStepInputs(spec.tasks)).toEqual([[], [0]])
  })

  test('rejects a duplicate id, naming the task', () => {
    expect(errorsOf([fetch('a'), fetch('a')])).toEqual([
      { path: 'tasks[1].id', message: 'tasks[1].id must be unique, got "a" (already the id of tasks[0])' },
    ])
  })

  test('rejects an unknown input, naming the task and the input', () => {
    expect(errorsOf([fetch('a'), mfcc('m', ['a', 'zz'])])).toEqual([
      {
        path: 'tasks[1].inputs[1]',
        message: 'tasks[1].inputs[1] must be the id of another task (known: "a", "m"), got "zz"',
      },
    ])
  })

  test('rejects a bad id', () => {
    expect(errorsOf([{ ...fetch('a b') }])[0]?.path).toBe('tasks[0].id')
  })

  test('rejects a cycle, naming the input that closes it and the tasks around it', () => {
    expect(errorsOf([fetch('a'), mfcc('m', ['n']), mfcc('n', ['m'])])).toEqual([
      { path: 'tasks[2].inputs[0]', message: 'tasks[2].inputs[0] makes a cycle: m → n → m' },
    ])
  })

  test('rejects an input of a kind the task does not accept', () => {
    const doc = [
      fetch('a'),
      mfcc('m', ['a']),
      { id: 'l', inputs: ['m'], call: 'LEARN' },
      mfcc('again', ['l']),
    ]
    expect(errorsOf(doc)).toEqual([
      {
        path: 'tasks[3].inputs[0]',
        message: 'tasks[3].inputs[0]: EXTRACT_MFCC accepts dataset, but tasks[2] ("l") (LEARN) gives a model',
      },
    ])
    expect(
      errorsOf([fetch('a'), { id: 'f', inputs: ['a'], call: 'FETCH_FESTVOX', args: ['file:///x.zip'] }])[0]
        ?.message,
    ).toBe(
      'tasks[1].inputs[0]: FETCH_FESTVOX accepts none, but tasks[0] ("a") (FETCH_FESTVOX) gives a dataset',
    )
    expect(errorsOf([{ id: 'l', inputs: [], call: 'LEARN' }])[0]?.message).toBe(
      'tasks[0].inputs must name an input: LEARN accepts dataset, not none',
    )
  })

  test('LEARN fed by FILTER without MFCC is a dataset, so it passes validation (it fails at run time)', () => {
    const doc = [
      fetch('a'),
      { id: 'f', inputs: ['a'], call: 'FILTER_LONGER', args: [1] },
      { inputs: ['f'], call: 'LEARN' },
    ]
    expect(parsePipelineDocument(doc, catalogue).tasks).toHaveLength(3)
  })

  test('several inputs must all be datasets', () => {
    const doc = [
      fetch('a'),
      mfcc('m', ['a']),
      { id: 'l', inputs: ['m'], call: 'LEARN' },
      { inputs: ['m', 'l'], call: 'NOOP' },
    ]
    expect(errorsOf(doc)).toEqual([
      {
        path: 'tasks[3].inputs[1]',
        message: 'tasks[3].inputs[1]: several inputs must all be datasets, tasks[2] ("l") gives a model',
      },
    ])
  })
})
