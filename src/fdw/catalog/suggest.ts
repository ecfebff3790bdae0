// "Did you mean" for misspelled object and column names.

/**
 * Edit distance counting an adjacent transposition as one edit (optimal string alignment),
 * so the common typo `emial` is one edit from `email`, not two.
 */
export function editDistance(a: string, b: string): number {
  // Three rolling rows: the transposition step looks two rows back.
  let before = new Array<number>(b.length + 1).fill(0);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  let current = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, before[j - 2]! + 1);
      current[j] = best;
    }
    [before, previous, current] = [previous, current, before];
  }
  return previous[b.length]!;
}

/**
 * The candidate closest to `input`, if it is close enough to be a plausible typo: at most a
 * third of the input's length in edits (and at least two allowed), case-insensitively. Ties
 * go to the earlier candidate, so callers list the likeliest names first.
 */
export function closestMatch(input: string, candidates: readonly string[]): string | undefined {
  const needle = input.toLowerCase();
  const limit = Math.max(2, Math.floor(needle.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(needle, candidate.toLowerCase());
    if (distance < bestDistance && distance <= limit && distance < Math.max(needle.length, candidate.length)) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
