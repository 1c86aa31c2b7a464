// Seeded, realistic run-to-run noise for the compare tests: what a speed figure looks like on a
// shared 2-core CI runner. Each run is lognormal around the true value (CV 5-15 %, drawn per
// trial), and now and then a "noisy neighbour" (another job on the same host) makes a run much
// slower: ms per op up 30-100 %, throughput down by the same factor.
import { gaussian, mulberry32 } from '../../harness/core/random.ts';

export interface Runner {
  /** Uniform on [0, 1). */
  rand: () => number;
  /** This trial's coefficient of variation. */
  cv: number;
  /**
   * `n` runs of a figure whose true value is `center`. `worse` says which way a noisy
   * neighbour pushes it: 'up' for time (ms per op, p99), 'down' for throughput.
   */
  runs(n: number, center: number, worse: 'up' | 'down'): number[];
}

/** Chance that one run shares the host with a noisy neighbour (about one run in a 10 + 10 comparison). */
export const OUTLIER_RATE = 0.05;

export function runner(seed: number, cvRange: [number, number] = [0.05, 0.15]): Runner {
  const rand = mulberry32(seed);
  const cv = cvRange[0] + (cvRange[1] - cvRange[0]) * rand();
  const sigma = Math.sqrt(Math.log(1 + cv * cv));
  return {
    rand,
    cv,
    runs(n, center, worse) {
      return Array.from({ length: n }, () => {
        let v = center * Math.exp(sigma * gaussian(rand));
        if (rand() < OUTLIER_RATE) {
          const slowdown = 1.3 + 0.7 * rand();
          v = worse === 'up' ? v * slowdown : v / slowdown;
        }
        return v;
      });
    },
  };
}
