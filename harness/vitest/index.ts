// churnlab in your own vitest suite:
//   import { runChurn } from 'churnlab/vitest';
//   it('my plugin forgets its sessions', async () => {
//     expect(await runChurn({ target: './src/my-plugin.ts' })).toStayBounded();
//   });
// Importing this module registers the matcher with vitest's expect.
import { expect } from 'vitest';
import { toStayBounded } from './matchers.ts';

export { runChurn, type ChurnOptions, type ChurnResult } from './run-churn.ts';
export { CHURN_DEFAULTS } from '../core/defaults.ts';
export { toStayBounded, describeVerdict } from './matchers.ts';
export {
  expectCollectionsBounded,
  expectHeapBounded,
  expectHandlesBounded,
  expectCounterAtMost,
  type Expectation,
} from '../scenario/expect.ts';

expect.extend({ toStayBounded });

interface ChurnMatchers<R = unknown> {
  /** Every expectation of the churn run held; the failure message is the verdict's reasons. */
  toStayBounded(): R;
}

declare module 'vitest' {
  interface Matchers<T = any> extends ChurnMatchers<T> {}
}
