export { filterLonger, filterShorter, itemSeconds } from './filter-duration.ts'
