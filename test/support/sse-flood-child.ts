// A flood of replaying SSE clients in its own process, so that their reading costs the measuring
// process nothing. Usage: node --import tsx test/support/sse-flood-child.ts URL COUNT UNTIL_SEQ
// Prints one line `flood: {json FloodOutcome}` when every client has finished.
import { floodEventStream } from './sse-flood.ts'

const [url, count, untilSeq, rampMs = '0'] = process.argv.slice(2)
if (url === undefined || count === undefined || untilSeq === undefined) {
  console.error('usage: sse-flood-child.ts URL COUNT UNTIL_SEQ')
  process.exit(2)
}
console.log('flood: started')
const outcome = await floodEventStream(url, Number(count), Number(untilSeq), Number(rampMs))
console.log(`flood: ${JSON.stringify(outcome)}`)
