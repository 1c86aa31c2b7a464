// Seeded pseudo-random numbers for the compare module (and its tests). No Math.random anywhere:
// the same inputs and seed give the same Comparison on every machine.

/** Mulberry32: a tiny 32-bit generator, uniform on [0, 1). Good enough for subsampling and tests. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal draw (Box–Muller, one value per call). */
export function gaussian(rand: () => number): number {
  const u = 1 - rand(); // (0, 1], keeps log finite
  const v = rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
