// Rows cross threads in slices: a structured clone is deserialized in one go on the receiving
// thread (100,000 rows of 10 columns: 200-600 ms), a slice of 20,000 values in 2-5 ms.
const VALUES_PER_SLICE = 20_000;

/** `rows` in consecutive slices of at most VALUES_PER_SLICE values (at least one row each). */
export function* rowSlices(rows: unknown[][], columns: number): Iterable<unknown[][]> {
  const size = Math.max(1, Math.floor(VALUES_PER_SLICE / Math.max(1, columns)));
  for (let start = 0; start < rows.length; start += size) yield rows.slice(start, start + size);
}
