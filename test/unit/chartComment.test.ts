// A cell's `-- chart:` comment: parsed, printed back the same, found among the comments before
// the cell's first statement, and the edit that writes a new choice into the cell.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CHART_TYPES, chartCommentEdit, chartCommentOf, parseChartComment, printChartComment, type ChartChoice } from '../../src/results/chartComment.js';

const apply = (text: string, edit: { start: number; end: number; text: string }) => text.slice(0, edit.start) + edit.text + text.slice(edit.end);

describe('chart comment', () => {
  test('parses the type, x, y columns and series', () => {
    assert.deepEqual(parseChartComment('-- chart: line x=month y=sign_ups,churned series=plan'), {
      type: 'line',
      x: 'month',
      y: ['sign_ups', 'churned'],
      series: 'plan',
    });
    assert.deepEqual(parseChartComment('--chart:Stacked  y=a   x=b  '), { type: 'stacked', x: 'b', y: ['a'] });
    assert.deepEqual(parseChartComment('-- chart: bar x="Sign ""up"" day" y="a,b",c'), { type: 'bar', x: 'Sign "up" day', y: ['a,b', 'c'] });
  });

  test('a malformed comment says nothing', () => {
    for (const line of [
      '-- chart: pie x=a y=b',
      '-- chart: line y=b',
      '-- chart: line x=a',
      '-- chart: line x=a,b y=c',
      '-- chart: line x=a y=b series=c,d',
      '-- chart: line x=a y="b',
      '-- chart: line x=a y=b junk',
      '-- name: signups',
    ])
      assert.equal(parseChartComment(line), undefined, line);
  });

  test('prints what it parses, for any column names', () => {
    const name = fc.string({ minLength: 1, maxLength: 12 }).filter((s) => !/[\r\n]/.test(s));
    const choice = fc.record(
      { type: fc.constantFrom(...CHART_TYPES), x: name, y: fc.array(name, { minLength: 1, maxLength: 4 }), series: name },
      { requiredKeys: ['type', 'x', 'y'] },
    );
    fc.assert(
      fc.property(choice, (c: ChartChoice) => {
        const line = printChartComment(c);
        assert.ok(!line.includes('\n'));
        assert.deepEqual(parseChartComment(line), { ...c }, line);
      }),
    );
    assert.equal(printChartComment({ type: 'area', x: 'month', y: ['sign ups', 'churned'] }), '-- chart: area x=month y="sign ups",churned');
  });

  test('found among the comments before the first statement, not after it', () => {
    const text = '-- name: signups\n  -- chart: bar x=plan y=n\nselect 1;\n';
    const found = chartCommentOf(text)!;
    assert.equal(text.slice(found.start, found.end), '-- chart: bar x=plan y=n');
    assert.deepEqual(found.choice, { type: 'bar', x: 'plan', y: ['n'] });
    assert.equal(chartCommentOf('select 1;\n-- chart: bar x=plan y=n\n'), undefined);
    assert.equal(chartCommentOf('-- chart: pie\nselect 1;')?.choice, undefined);
  });

  test('a choice replaces the chart line, or is inserted as the first line', () => {
    const choice: ChartChoice = { type: 'line', x: 'month', y: ['sign_ups'], series: 'plan' };
    assert.equal(
      apply('-- name: s\r\n-- chart: bar x=a y=b \r\nselect 1;', chartCommentEdit('-- name: s\r\n-- chart: bar x=a y=b \r\nselect 1;', choice)),
      '-- name: s\r\n-- chart: line x=month y=sign_ups series=plan \r\nselect 1;',
    );
    assert.equal(apply('select 1;', chartCommentEdit('select 1;', choice)), '-- chart: line x=month y=sign_ups series=plan\nselect 1;');
    // A malformed chart line is replaced too, not left beside a new one.
    assert.equal(
      apply('-- chart: pie\nselect 1;', chartCommentEdit('-- chart: pie\nselect 1;', choice)),
      '-- chart: line x=month y=sign_ups series=plan\nselect 1;',
    );
  });

  test('the grid chosen (null) removes the chart line with its line break, and nothing else', () => {
    const remove = (text: string) => apply(text, chartCommentEdit(text, null));
    assert.equal(remove('-- name: s\r\n  -- chart: bar x=a y=b \r\nselect 1;'), '-- name: s\r\nselect 1;');
    assert.equal(remove('-- chart: line x=month y=n\nselect 1;\n'), 'select 1;\n');
    assert.equal(remove('-- name: s\n-- chart: bar x=a y=b'), '-- name: s');
    assert.equal(remove('-- chart: bar x=a y=b'), '');
    // A malformed chart line goes too; a cell without one is left as it is.
    assert.equal(remove('-- chart: pie\nselect 1;'), 'select 1;');
    assert.deepEqual(chartCommentEdit('select 1;\n-- chart: bar x=a y=b\n', null), { start: 0, end: 0, text: '' });
    fc.assert(
      fc.property(fc.string(), (rest) => {
        const text = `-- chart: bar x=a y=b\n${rest}`;
        assert.equal(remove(text), rest);
      }),
    );
  });
});
