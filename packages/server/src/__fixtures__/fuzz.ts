import type { Parameters } from 'fast-check';

/**
 * Settings shared by the `*.fuzz.test.ts` suites (the same as core's): a fixed
 * seed, so that `npm test` is repeatable, and few runs, so that it stays fast.
 * `FC_SEED=<n>` and `FC_RUNS=<n>` run them longer or differently. A failure
 * prints the seed and the counterexample's path to replay it.
 */
export const FUZZ_SEED = process.env.FC_SEED ? Number(process.env.FC_SEED) : 17_2026;

export function fuzzParams<T>(defaultRuns: number): Parameters<T> {
  return { seed: FUZZ_SEED, numRuns: process.env.FC_RUNS ? Number(process.env.FC_RUNS) : defaultRuns };
}

console.log(`[fuzz] fast-check seed ${FUZZ_SEED}${process.env.FC_RUNS ? `, ${process.env.FC_RUNS} runs` : ''} (FC_SEED / FC_RUNS to change)`);
