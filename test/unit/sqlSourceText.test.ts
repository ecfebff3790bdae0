import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SourceText, describePosition, wellFormed } from '../../src/fdw/sql/sourceText.js';

const byteOffsetOf = (text: string, offset: number) => Buffer.byteLength(text.slice(0, offset), 'utf8');

test('byte offsets map to UTF-16 offsets across 2-, 3- and 4-byte characters', () => {
  const text = "select 'é', '日本', '😀', x from t";
  const source = new SourceText(text);
  for (const token of ['é', '日本', '😀', 'x from', 't']) {
    const offset = text.indexOf(token);
    assert.equal(source.offsetOfByte(byteOffsetOf(text, offset)), offset, token);
    assert.equal(source.byteOfOffset(offset), byteOffsetOf(text, offset), token);
  }
  assert.equal(source.byteLength, Buffer.byteLength(text));
  assert.equal(source.offsetOfByte(source.byteLength), text.length);
});

test('a byte inside a character maps to the start of that character', () => {
  const source = new SourceText('a😀b');
  assert.deepEqual(
    [1, 2, 3, 4].map((byte) => source.offsetOfByte(byte)),
    [1, 1, 1, 1],
  );
  assert.equal(source.offsetOfByte(5), 3);
  assert.equal(source.offsetOfByte(99), 4, 'past the end clamps to the end');
  assert.equal(source.offsetOfByte(-1), 0);
});

test('code point offsets (Postgres error positions) map to UTF-16 offsets', () => {
  const text = 'é😀日 x';
  const source = new SourceText(text);
  // code points: é=0 😀=1 日=2 ' '=3 x=4
  assert.equal(source.offsetOfCodePoint(4), text.indexOf('x'));
  assert.equal(source.offsetOfCodePoint(2), text.indexOf('日'));
});

test('positions give 0-based line and UTF-16 column, and a 1-based description', () => {
  const text = 'select 1;\r\nselect "😀",\n  é, bad\rlast';
  const source = new SourceText(text);
  const bad = source.positionOfByte(byteOffsetOf(text, text.indexOf('bad')));
  assert.deepEqual(bad, { offset: text.indexOf('bad'), line: 2, character: 5 });
  assert.equal(describePosition(bad), 'line 3, column 6');
  assert.deepEqual(source.positionAt(text.indexOf('last')), { offset: text.indexOf('last'), line: 3, character: 0 });
  const afterEmoji = source.positionAt(text.indexOf('",'));
  assert.equal(afterEmoji.character, 10, 'the emoji counts as two UTF-16 units, as LSP expects');
});

test('lone surrogates count as U+FFFD (3 bytes), matching the text given to the parser', () => {
  const text = 'a\uD800b';
  assert.equal(wellFormed(text), 'a\uFFFDb');
  const source = new SourceText(text);
  assert.equal(source.byteOfOffset(2), 4);
  assert.equal(source.offsetOfByte(4), 2);
  assert.equal(new SourceText('😀').byteLength, 4, 'a valid pair is untouched');
});

test('offsetOfPosition: an LSP position back to an offset, lines as LSP counts them', () => {
  const text = 'ab\r\ncd\ne\rf';
  const source = new SourceText(text);
  assert.equal(source.offsetOfPosition(0, 1), 1);
  assert.equal(source.offsetOfPosition(0, 9), 2, 'past the end of the line: its end, before the \\r\\n');
  assert.equal(source.offsetOfPosition(1, 0), 4);
  assert.equal(source.offsetOfPosition(2, 1), 8);
  assert.equal(source.offsetOfPosition(3, 0), 9);
  assert.equal(source.offsetOfPosition(3, 5), 10);
  assert.equal(source.offsetOfPosition(4, 0), undefined);
  for (let offset = 0; offset <= text.length; offset++) {
    const { line, character } = source.positionAt(offset);
    if (text[offset - 1] !== '\r' || text[offset] !== '\n') assert.equal(source.offsetOfPosition(line, character), offset, `offset ${offset}`);
  }
});
