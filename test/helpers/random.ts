/**
 * Small seeded PRNGs, so generated test inputs (and samples) are the same on
 * every run and a failure can be replayed. Each gives floats in [0, 1).
 * The two are different sequences: keep each test on the one it was written with.
 */

/** mulberry32. */
export function mulberry32(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A one-step xorshift-multiply mix of the seed. */
export function mixRng(seed: number): () => number {
  return () => ((seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) | 0) >>> 0) / 2 ** 32;
}
