export { waitOrTimeOut, type WaitOutcome } from './wait-or-time-out.ts'
