// The ids in src/ids.ts are the ones package.json contributes: one source for both sides.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { CELL_LANGUAGE, COMMANDS, ERROR_MIME, EXTENSION_ID, NOTEBOOK_TYPES, RENDERER_ID, RESULT_MIME, SETTINGS } from '../../src/ids.js';

/** The parts of package.json this test reads. */
const Manifest = z.object({
  publisher: z.string(),
  name: z.string(),
  contributes: z.object({
    commands: z.array(z.object({ command: z.string() })),
    notebooks: z.array(z.object({ type: z.string() })),
    languages: z.array(z.object({ id: z.string() })),
    notebookRenderer: z.array(z.object({ id: z.string(), mimeTypes: z.array(z.string()) })),
    configuration: z.object({ properties: z.record(z.string(), z.unknown()) }),
  }),
});
const manifest = Manifest.parse(JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')));

test('package.json contributes exactly the ids the code uses', () => {
  const c = manifest.contributes;
  assert.equal(`${manifest.publisher}.${manifest.name}`, EXTENSION_ID);
  assert.deepEqual(c.commands.map((x) => x.command).sort(), Object.values(COMMANDS).sort());
  assert.deepEqual(
    c.notebooks.map((n) => n.type),
    [...NOTEBOOK_TYPES],
  );
  assert.deepEqual(
    c.languages.map((l) => l.id),
    [CELL_LANGUAGE],
  );
  assert.deepEqual(
    c.notebookRenderer.map((r) => [r.id, r.mimeTypes]),
    [[RENDERER_ID, [RESULT_MIME, ERROR_MIME]]],
  );
  const settings = Object.keys(c.configuration.properties);
  for (const key of [SETTINGS.maxOutputRows, SETTINGS.allowedApiOrigins]) assert.ok(settings.includes(`${SETTINGS.section}.${key}`), key);
  for (const s of settings) assert.ok(s.startsWith(`${SETTINGS.section}.`), s);
});
