/** Nearest-rank percentile (p in 0..100) of numbers; NaN for none. */
export function percentile(values, p) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export const median = (values) => percentile(values, 50);

/** Rounds to `digits` decimals (numbers in tables need no more). */
export const round = (n, digits = 1) => (Number.isFinite(n) ? Number(n.toFixed(digits)) : n);
