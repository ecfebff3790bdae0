// Converts between the three ways Postgres tooling points into SQL text and the JS string indices
// (UTF-16 code units) that editors use:
//   - libpg-query AST locations (`location`, `stmt_location`, `stmt_len`) and scanner tokens are
//     UTF-8 byte offsets;
//   - Postgres error positions (the parser's cursor, a server error's `position`) count characters,
//     i.e. Unicode code points;
//   - VS Code / LSP positions are UTF-16 offsets, or 0-based line + UTF-16 column.
// A text with a lone surrogate is measured as if it were replaced by U+FFFD (3 bytes), which is what
// `wellFormed()` does before the text is handed to libpg-query, so offsets agree on both sides.

export interface TextPosition {
  /** UTF-16 code unit offset into the text (a JS string index). */
  offset: number;
  /** 0-based line, as in LSP. */
  line: number;
  /** 0-based column in UTF-16 code units, as in LSP. */
  character: number;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Replaces lone surrogates by U+FFFD. Keeps every UTF-16 offset unchanged. */
export function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD');
}

/** "line 3, column 7": 1-based, for messages shown to people. */
export function describePosition(position: TextPosition): string {
  return `line ${position.line + 1}, column ${position.character + 1}`;
}

export class SourceText {
  private byteAt: Int32Array | undefined;
  private codePointAt: Int32Array | undefined;
  private lineStarts: number[] | undefined;

  constructor(readonly text: string) {}

  get byteLength(): number {
    return this.bytes()[this.text.length] ?? 0;
  }

  /** UTF-16 offset of a UTF-8 byte offset. A byte inside a character maps to that character's start. */
  offsetOfByte(byte: number): number {
    return lastIndexAtMost(this.bytes(), byte);
  }

  /** UTF-16 offset of a code point offset (0-based). */
  offsetOfCodePoint(codePoint: number): number {
    return lastIndexAtMost(this.codePoints(), codePoint);
  }

  /** UTF-8 byte offset of a UTF-16 offset. */
  byteOfOffset(offset: number): number {
    const bytes = this.bytes();
    return bytes[clamp(offset, 0, this.text.length)] ?? 0;
  }

  positionAt(offset: number): TextPosition {
    const clamped = clamp(offset, 0, this.text.length);
    const starts = this.lines();
    const line = lastIndexAtMost(starts, clamped);
    return { offset: clamped, line, character: clamped - (starts[line] ?? 0) };
  }

  /** The offset of an LSP position (a line and a UTF-16 column; past the line's end, its end); undefined past the last line. */
  offsetOfPosition(line: number, character: number): number | undefined {
    const starts = this.lines();
    const start = starts[line];
    if (start === undefined || line < 0) return undefined;
    const next = starts[line + 1];
    const end = next === undefined ? this.text.length : next - lineBreakBefore(this.text, next);
    return Math.min(start + Math.max(0, character), end);
  }

  positionOfByte(byte: number): TextPosition {
    return this.positionAt(this.offsetOfByte(byte));
  }

  positionOfCodePoint(codePoint: number): TextPosition {
    return this.positionAt(this.offsetOfCodePoint(codePoint));
  }

  // byteAt[i] is the byte offset where UTF-16 index i starts; the low half of a surrogate pair gets
  // the offset after the pair, so the array is non-decreasing and a binary search for a byte inside
  // the pair lands on the pair's first unit.
  private bytes(): Int32Array {
    if (this.byteAt) return this.byteAt;
    const { text } = this;
    const byteAt = new Int32Array(text.length + 1);
    let byte = 0;
    for (let i = 0; i < text.length; i++) {
      byteAt[i] = byte;
      const unit = text.charCodeAt(i);
      if (unit < 0x80) byte += 1;
      else if (unit < 0x800) byte += 2;
      else if (isPair(text, i)) {
        byte += 4;
        byteAt[++i] = byte;
      } else byte += 3;
    }
    byteAt[text.length] = byte;
    this.byteAt = byteAt;
    return byteAt;
  }

  private codePoints(): Int32Array {
    if (this.codePointAt) return this.codePointAt;
    const { text } = this;
    const codePointAt = new Int32Array(text.length + 1);
    let codePoint = 0;
    for (let i = 0; i < text.length; i++) {
      codePointAt[i] = codePoint++;
      if (isPair(text, i)) codePointAt[++i] = codePoint;
    }
    codePointAt[text.length] = codePoint;
    this.codePointAt = codePointAt;
    return codePointAt;
  }

  // Line breaks as LSP counts them: \r\n, \n, or a lone \r.
  private lines(): number[] {
    if (this.lineStarts) return this.lineStarts;
    const starts = [0];
    const { text } = this;
    for (let i = 0; i < text.length; i++) {
      const unit = text.charCodeAt(i);
      if (unit === 0x0a || (unit === 0x0d && text.charCodeAt(i + 1) !== 0x0a)) starts.push(i + 1);
    }
    this.lineStarts = starts;
    return starts;
  }
}

/** The length of the line break that ends just before `offset` (\r\n, \n or a lone \r). */
function lineBreakBefore(text: string, offset: number): number {
  return text.charCodeAt(offset - 1) === 0x0a && text.charCodeAt(offset - 2) === 0x0d ? 2 : 1;
}

function isPair(text: string, i: number): boolean {
  const high = text.charCodeAt(i);
  const low = text.charCodeAt(i + 1);
  return high >= 0xd800 && high <= 0xdbff && low >= 0xdc00 && low <= 0xdfff;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max);
}

/** Largest index i with sorted[i] <= value (0 if none); sorted is non-decreasing. */
function lastIndexAtMost(sorted: ArrayLike<number>, value: number): number {
  let low = 0;
  let high = sorted.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >>> 1;
    if ((sorted[mid] ?? 0) <= value) low = mid;
    else high = mid - 1;
  }
  return low;
}
