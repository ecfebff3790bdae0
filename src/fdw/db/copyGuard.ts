// COPY statements an engine cannot serve are refused before they reach it, because they do not
// fail cleanly. In PGlite (measured with PGlite 0.5.16):
// - FROM STDIN: the backend waits for data that never comes, spinning a core until the worker is
//   terminated;
// - FROM '/dev/blob' without a blob: the instance breaks, and the next statement crashes the whole
//   process (a fatal V8 error, which a worker thread cannot contain);
// - FROM/TO PROGRAM: the next statement never returns;
// - TO STDOUT (and TO '/dev/blob'): the data is silently dropped.
// COPY to or from a file in the database's own file system works and is let through. On a
// PostgreSQL server, node-postgres drops TO STDOUT's data too and fails FROM STDIN with a message
// about streams; files and programs are the server's own business (its privileges decide). (The
// runtime loads fetched rows through Engine.copyText, which does not come here.) The parser is
// loaded only for SQL that mentions COPY at all.

import { SqlParser } from '../sql/parser.js';

let parser: Promise<SqlParser> | undefined;

const EMBEDDED =
  "COPY to or from the client or a program cannot run in the embedded database (load rows with INSERT or CREATE TABLE ... AS; save a query's rows with Export Result in the notebook, or --format csv in the CLI)";
const SERVER =
  "COPY to or from the client cannot run through the notebook (load rows with INSERT or CREATE TABLE ... AS; save a query's rows with Export Result in the notebook, or --format csv in the CLI)";

/** Throws if `sql` contains a COPY that the engine cannot run. */
export async function refuseUnsupportedCopy(sql: string, engine: 'embedded' | 'postgres'): Promise<void> {
  if (!/copy/i.test(sql)) return;
  parser ??= SqlParser.load();
  for (const statement of (await parser).parse(sql).statements) {
    if (!statement.ok || !('CopyStmt' in statement.ast)) continue;
    const { filename, is_program: isProgram } = statement.ast.CopyStmt;
    const refused = engine === 'postgres' ? !filename : !filename || isProgram || filename === '/dev/blob';
    if (refused) throw new Error(`${engine === 'postgres' ? SERVER : EMBEDDED}: ${statement.text}`);
  }
}
