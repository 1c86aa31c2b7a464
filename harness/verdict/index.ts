// Public API of the verdict engine: pure functions from samples to verdicts.
export { classifyGrowth, type GrowthOptions } from './growth.ts';
export { checkAtMost, type AtMostOptions } from './limits.ts';
export {
  heapSeries,
  rssSeries,
  collectionSeries,
  handleSeries,
  counterSeries,
  rankGrowers,
  type HandleKey,
  type Grower,
} from './series.ts';
export { judgedSamples, UNJUDGED_PHASES } from './window.ts';
export { theilSen, type SlopeFit, type TheilSenOptions } from './theil-sen.ts';
