// Flags shared by every bench script: `--quick` (reduced sizes, for CI) and `--json`
// (one JSON document on stdout, read by bench/run.mjs).
export const quick = process.argv.includes('--quick');
export const json = process.argv.includes('--json');

/** Picks the full or the quick size. */
export const size = (full, small) => (quick ? small : full);

/** Prints the result: JSON for the runner, or a readable dump for a person. */
export function report(result) {
  if (json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else console.log(JSON.stringify(result, null, 2));
}
