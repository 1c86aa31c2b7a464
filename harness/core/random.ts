// Seeded pseudo-random numbers, the one generator of the project (mock ids and filler, resampling
// in comparisons, synthetic test series). Never Math.random: same seed, same results everywhere.

/** One step of mulberry32 (tiny, fast; not for anything secret): the value in [0, 1) and the next state. */
export function mulberry32Step(state: number): { value: number; state: number } {
  const next = (state + 0x6d2b79f5) >>> 0;
  let t = next;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return { value: ((t ^ (t >>> 14)) >>> 0) / 4294967296, state: next };
}

/** A generator of uniform numbers in [0, 1) from a seed. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    const step = mulberry32Step(state);
    state = step.state;
    return step.value;
  };
}

/** A standard normal draw (Box–Muller, one value per call). */
export function gaussian(rand: () => number): number {
  const u = 1 - rand(); // (0, 1], keeps log finite
  const v = rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
