export { echoItems, fail, makeDataset, noop, sleep, utilityTasks } from './utility-tasks.ts'
export { abortError, waitAbortably } from './wait.ts'
