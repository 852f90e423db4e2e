import type { EventPage, PipelineDetail, StoredEvent } from '../../../../core/domain/index.ts'
import { replayDetail } from '../../../../core/domain/projections/index.ts'

/** Events per page fetched for replay (the API's maximum `limit`). */
export const REPLAY_PAGE_SIZE = 1000

/** How the replay reads a pipeline: its events by page, and its detail at one event (server replay). */
export interface ReplayFetchers {
  /** `GET /api/pipelines/:id/events?after=&limit=`. */
  events(after: number, limit: number): Promise<EventPage>
  /** `GET /api/pipelines/:id/state?at=N`. */
  stateAt(at: number): Promise<PipelineDetail>
}

/** The pipeline after its `at`-th event, and that event. */
export interface ReplayFrame {
  at: number
  detail: PipelineDetail
  event: StoredEvent
  /** The events around it in its page, for context. */
  page: StoredEvent[]
}

/**
 * Computes a pipeline's detail after any of its events, in the browser, with the server's own
 * reducer (`replayDetail` / `evolveDetail` from core/domain).
 *
 * Events are read in pages of `REPLAY_PAGE_SIZE`; page p holds pipelineSeq p·size+1 to
 * (p+1)·size. The detail at each page start (an anchor) is kept: it comes from replaying the
 * page before when that page's anchor is known, else from one `state?at=` request, so a jump
 * to the far end of a 100k-event run costs two requests, not a hundred pages. Within a page,
 * the frame is replayed from the anchor — at most one page of `evolveDetail` calls.
 */
export class ReplaySource {
  private readonly pages = new Map<number, StoredEvent[]>()
  private readonly anchors = new Map<number, PipelineDetail | null>([[0, null]])

  constructor(
    private readonly fetchers: ReplayFetchers,
    private readonly size = REPLAY_PAGE_SIZE,
  ) {}

  /** The frame after the `at`-th event (1-based pipelineSeq). */
  async frame(at: number): Promise<ReplayFrame> {
    const p = Math.floor((at - 1) / this.size)
    const [start, events] = await Promise.all([this.anchor(p), this.page(p, at)])
    const upTo = events.filter((e) => e.pipelineSeq <= at)
    const event = upTo[upTo.length - 1]
    const detail = replayDetail(upTo, start)
    if (!event || event.pipelineSeq !== at || !detail)
      throw new Error(`event ${at} of this pipeline was not found`)
    return { at, detail, event, page: events }
  }

  /** How many event pages are held (tests check that far jumps stay cheap). */
  get loadedPages(): number {
    return this.pages.size
  }

  private async page(p: number, needed: number): Promise<StoredEvent[]> {
    const held = this.pages.get(p)
    const last = held?.[held.length - 1]
    if (held && last && (held.length === this.size || last.pipelineSeq >= needed)) return held
    const { events } = await this.fetchers.events(p * this.size, this.size)
    this.pages.set(p, events)
    return events
  }

  private async anchor(p: number): Promise<PipelineDetail | null> {
    const seq = p * this.size
    if (this.anchors.has(seq)) return this.anchors.get(seq) ?? null
    const previous = (p - 1) * this.size
    let detail: PipelineDetail | null
    if (this.anchors.has(previous)) {
      const start = this.anchors.get(previous) ?? null
      detail = replayDetail(await this.page(p - 1, seq), start)
    } else {
      detail = await this.fetchers.stateAt(seq)
    }
    this.anchors.set(seq, detail)
    return detail
  }
}
