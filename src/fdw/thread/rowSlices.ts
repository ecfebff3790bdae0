// Rows cross threads in slices: a structured clone is deserialized in one go on the receiving
// thread (100,000 rows of 10 columns: 200-600 ms), a slice of 20,000 values in 2-5 ms. The
// runtime thread sends results this way, and an export reads rows kept there this way.
const VALUES_PER_SLICE = 20_000;

/** Rows [0, total) of `columns` columns as consecutive slices of at most VALUES_PER_SLICE values (at least one row each). */
export function* rowSlices(total: number, columns: number): Generator<{ offset: number; count: number }> {
  const size = Math.max(1, Math.floor(VALUES_PER_SLICE / Math.max(1, columns)));
  for (let offset = 0; offset < total; offset += size) yield { offset, count: Math.min(size, total - offset) };
}
