import { BanzaiError } from '../../domain/index.ts'
import type { Input } from './requests.ts'

/**
 * The engine's inbox: inputs posted together (a burst of HTTP submissions, reports) are
 * handed on as one batch, one tick, one fsync. At most one clock (and one dispatch) input waits at a time.
 */
export class Mailbox {
  private inputs: Input[] = []
  private running: Promise<void> | null = null
  private closed = false

  /** `runTick` handles one batch; the next batch waits until it has resolved. */
  constructor(private readonly runTick: (batch: Input[]) => Promise<void>) {}

  /** Queues an input; once closed, requests are refused and other inputs dropped. */
  post(input: Input): void {
    if (this.closed) {
      if ('done' in input) input.done.reject(new BanzaiError('unavailable', 'the monitor is stopping'))
      return
    }
    // A clock input dispatches too: one waiting clock or dispatch input is enough.
    if (input.kind === 'clock' || input.kind === 'dispatch') {
      if (this.inputs.some((i) => i.kind === 'clock' || (i.kind === 'dispatch' && input.kind === 'dispatch')))
        return
    }
    this.inputs.push(input)
    // Start draining on the next turn of the event loop, so that inputs arriving together
    // share one tick.
    if (!this.running)
      this.running = new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.drain())
  }

  /** Refuses further inputs and waits for the tick under way. */
  async close(): Promise<void> {
    this.closed = true
    await this.running
  }

  private async drain(): Promise<void> {
    try {
      while (this.inputs.length > 0) {
        const batch = this.inputs
        this.inputs = []
        await this.runTick(batch)
      }
    } finally {
      this.running = null
    }
  }
}
