// What the grid's footer says of the selected cells: how many, how many are not NULL, and of the
// numbers among them (cells of numeric columns) their sum, average, least and greatest. Pure: no DOM.
// Sums are exact for integers and decimals (bigint past 2^53, numeric's digits): an analyst
// checking a total against the database must get the database's; floats and money add as floats.
import { compareValues, parseNumber, type ColumnKind } from '../../results/view.js';

export interface SelectionSummary {
  cells: number;
  /** Cells that are not NULL. */
  count: number;
  numbers?: { count: number; sum: string; avg: string; min: string; max: string };
}

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?$/;
/** Digits an exact average keeps past the point, at least. */
const AVG_SCALE = 6;

/** `rows`: the selected cells, Postgres's text of each (null: NULL); `kinds`: their columns' kinds. */
export function summarize(rows: readonly (readonly (string | null)[])[], kinds: readonly ColumnKind[]): SelectionSummary {
  let cells = 0;
  let count = 0;
  const numbers: string[] = [];
  for (const row of rows)
    row.forEach((text, i) => {
      cells++;
      if (text === null) return;
      count++;
      if (kinds[i] === 'number') numbers.push(text);
    });
  if (numbers.length === 0) return { cells, count };
  const [min, max] = numbers.reduce(
    ([lo, hi], t) => [compareValues(t, lo, 'number') < 0 ? t : lo, compareValues(t, hi, 'number') > 0 ? t : hi],
    [numbers[0]!, numbers[0]!],
  );
  return { cells, count, numbers: { count: numbers.length, ...sumAndAverage(numbers), min, max } };
}

/** Exact when every number is a plain decimal, else as floats (exponents, NaN, infinities, money). */
function sumAndAverage(texts: readonly string[]): { sum: string; avg: string } {
  const decimals = texts.map((t) => DECIMAL.exec(t)).filter((m) => m !== null && (m[2] || m[3]));
  if (decimals.length === texts.length) {
    // A reduce, not Math.max(...): a selection holds up to 10,000 rows of many columns.
    const scale = decimals.reduce((s, m) => Math.max(s, m![3]?.length ?? 0), 0);
    const sum = decimals.reduce((total, m) => total + scaled(m!, scale), 0n);
    const avgScale = Math.max(scale, AVG_SCALE);
    const avg = divideRounded(sum * 10n ** BigInt(avgScale - scale), BigInt(texts.length));
    return { sum: decimalText(sum, scale), avg: trimZeros(decimalText(avg, avgScale)) };
  }
  const sum = texts.reduce((total, t) => total + parseNumber(t), 0);
  return { sum: floatText(sum), avg: floatText(sum / texts.length) };
}

/** A decimal's digits as an integer of `scale` digits past the point. */
function scaled([, sign, whole, fraction = '']: RegExpExecArray, scale: number): bigint {
  const n = BigInt((whole || '0') + fraction.padEnd(scale, '0'));
  return sign === '-' ? -n : n;
}

/** n / d rounded half away from zero, as Postgres rounds numeric. */
function divideRounded(n: bigint, d: bigint): bigint {
  const q = n / d;
  const r = n % d;
  if (2n * (r < 0n ? -r : r) < d) return q;
  return n < 0n ? q - 1n : q + 1n;
}

function decimalText(n: bigint, scale: number): string {
  const digits = (n < 0n ? -n : n).toString().padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return n < 0n ? `-${text}` : text;
}

function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

function floatText(n: number): string {
  return Number.isNaN(n) ? 'NaN' : String(n);
}

/** "3 × 2 selected · count 5 · sum 15 · avg 3 · min 1 · max 5" (NULLs are counted out, as COUNT(column) does). */
export function summaryText({ cells, count, numbers }: SelectionSummary, rows: number, columns: number): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const parts = [`${n(rows)} × ${n(columns)} selected`];
  if (cells !== 1) parts.push(`count ${n(count)}${count < cells ? ` (${n(cells - count)} NULL)` : ''}`);
  if (numbers && cells !== 1) parts.push(`sum ${numbers.sum}`, `avg ${numbers.avg}`, `min ${numbers.min}`, `max ${numbers.max}`);
  return parts.join(' · ');
}
