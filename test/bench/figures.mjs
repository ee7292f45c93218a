// What every benchmark does with its figures: rounds them, and ends with the
// markdown table then one JSON object on the last line (docs/benchmarks.md).

export function round(n, digits) {
  return Math.round(n * 10 ** digits) / 10 ** digits;
}

/** Times in milliseconds, sorted, at the p-th fraction (0.5 = median). */
export function percentile(sortedMs, p) {
  return sortedMs[Math.min(sortedMs.length - 1, Math.floor(p * sortedMs.length))];
}

export function printFigures(markdown, figures) {
  console.log(markdown);
  console.log(JSON.stringify(figures));
}
