// Qualified names as keys: a dot inside a quoted name is not a schema separator.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TableMap } from '../../src/fdw/runtime/tableMap.js';

test('schema and name stay apart, whatever they hold', () => {
  const m = new TableMap<number>();
  m.set({ schema: 'a.b', name: 'c' }, 1).set({ schema: 'a', name: 'b.c' }, 2);
  assert.equal(m.size, 2);
  assert.equal(m.get({ schema: 'a.b', name: 'c' }), 1);
  assert.equal(m.get({ schema: 'a', name: 'b.c' }), 2);
  assert.deepEqual(
    [...m.keys()],
    [
      { schema: 'a.b', name: 'c' },
      { schema: 'a', name: 'b.c' },
    ],
  );
  assert.equal(m.delete({ schema: 'a', name: 'b.c' }), true);
  assert.equal(m.has({ schema: 'a', name: 'b.c' }), false);
});
