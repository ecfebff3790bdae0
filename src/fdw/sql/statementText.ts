// Where the parts of one statement are written in its cell: the parse tree gives the UTF-8 byte
// offset where most nodes start; this turns those into the UTF-16 spans an editor underlines or
// a caret points at, and finds the names the tree gives without a location (a server's own name,
// the wrapper a server uses). Shared by the FDW checks and the language server's hover.
import type { DefElem } from 'libpg-query';
import type { SourceText } from './sourceText.js';
import { lastNameOfReference, namesAfter, tokenAfter, tokenAt, typeSpan, type Span } from './tokens.js';

export class StatementText {
  constructor(
    readonly source: SourceText,
    /** The statement's range in the cell (UTF-16 offsets). */
    readonly range: Span,
  ) {}

  get text(): string {
    return this.source.text;
  }

  /** The token at an AST location (absent or -1 when the tree has none). */
  token(location: number | undefined): Span | undefined {
    return this.at(location, (text, offset) => tokenAt(text, offset));
  }

  /** A (dotted) name written at an AST location, whole. */
  reference(location: number | undefined): Span | undefined {
    return this.at(location, (text, offset) => ({ start: offset, end: lastNameOfReference(text, offset).end }));
  }

  /** The last part of a dotted name at an AST location (a table's own name). */
  lastName(location: number | undefined): Span | undefined {
    return this.at(location, (text, offset) => lastNameOfReference(text, offset));
  }

  /** A column's type, as written at its AST location. */
  type(location: number | undefined): Span | undefined {
    return this.at(location, (text, offset) => typeSpan(text, offset));
  }

  /** The value written after an option's name (`'users'` in `object 'users'`). */
  optionValue(option: DefElem): Span | undefined {
    return this.at(option.location, (text, offset) => tokenAfter(text, offset));
  }

  /** A (dotted) name written after an option's name (`my.handler` in `handler my.handler`). */
  optionReference(option: DefElem): Span | undefined {
    return this.at(option.location, (text, offset) => {
      const value = tokenAfter(text, offset);
      return { start: value.start, end: lastNameOfReference(text, value.start).end };
    });
  }

  /** The names written after `words` (`['foreign', 'data', 'wrapper']`), which the tree gives without a location. */
  namesAfter(words: readonly string[]): Span[] {
    return namesAfter(this.text, this.range, words);
  }

  nameAfter(words: readonly string[]): Span | undefined {
    return this.namesAfter(words)[0];
  }

  private at(location: number | undefined, span: (text: string, offset: number) => Span): Span | undefined {
    if (location === undefined || location < 0) return undefined;
    return span(this.text, this.source.offsetOfByte(location));
  }
}
