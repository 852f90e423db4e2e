import { z } from 'zod'
import { integer, value } from './arg-shape.ts'
import { declareTask } from './declaration.ts'

/** NOOP(): passes its input through. */
export const NOOP = declareTask({
  name: 'NOOP',
  version: 1,
  lane: 'default',
  doc: 'Passes its input through unchanged (a fresh empty document when there is none).',
  args: [],
  perItem: false,
  external: false,
  needsInput: true,
  timeoutMs: 60_000,
})

/** SLEEP(ms): waits, abortably, reporting progress; passes its input through. */
export const SLEEP = declareTask({
  name: 'SLEEP',
  version: 1,
  lane: 'default',
  doc: 'Waits `ms` milliseconds (abortable, with progress), then passes its input through.',
  args: [{ name: 'ms', doc: 'how long to wait, ms', shape: integer(0, 86_400_000) }],
  perItem: false,
  external: false,
  needsInput: true,
  timeoutMs: 86_400_000,
})

/** FAIL(message, retryable): fails with that message. */
export const FAIL = declareTask({
  name: 'FAIL',
  version: 1,
  lane: 'default',
  doc: 'Fails with `message`; `retryable` (default false) says whether another attempt may help.',
  args: [
    {
      name: 'message',
      doc: 'the error text',
      shape: value(z.string().max(1_000), 'a string of at most 1000 characters'),
    },
    {
      name: 'retryable',
      doc: 'whether to retry',
      optional: true,
      shape: value(z.boolean(), 'true or false'),
    },
  ],
  perItem: false,
  external: false,
  needsInput: true,
  timeoutMs: 60_000,
})

/** MAKE_DATASET(count): a synthetic dataset manifest of `count` tiny items, for fan-out tests. */
export const MAKE_DATASET = declareTask({
  name: 'MAKE_DATASET',
  version: 1,
  lane: 'default',
  doc: 'Makes a synthetic dataset manifest of `count` items (each a tiny distinct blob), for fan-out tests.',
  args: [{ name: 'count', doc: 'number of items', shape: integer(0, 100_000) }],
  perItem: false,
  external: false,
  needsInput: false,
  timeoutMs: 600_000,
})

/** ECHO_ITEMS([ms]): a perItem utility that marks each item with the worker that handled it. */
export const ECHO_ITEMS = declareTask({
  name: 'ECHO_ITEMS',
  version: 1,
  lane: 'default',
  doc: 'Per item: waits `ms` (default 0) and records which worker handled it (`echo`), for fan-out tests.',
  args: [{ name: 'ms', doc: 'wait per item, ms', optional: true, shape: integer(0, 60_000) }],
  perItem: true,
  itemFields: { fields: ['echo'], refs: [] },
  external: false,
  needsInput: true,
  timeoutMs: 3_600_000,
})
