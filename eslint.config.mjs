// ESLint: the recommended rules, type-aware ones for the TypeScript (floating promises, unsafe
// `any`, misused promises). Three conventions: TypeScript's `private`, not `#` fields; `.js`
// import specifiers (tsx and esbuild map them to the .ts source); camelCase file names.
// Formatting is Prettier's (npm run format).
import { basename } from 'node:path';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** The project's own rule: a file is named in camelCase, then its extensions (`rowSlices.ts`, `firstHour.cjs`, `ddlCheck.test.ts`). */
const conventions = {
  rules: {
    'file-name': {
      meta: { type: 'suggestion', schema: [] },
      create(context) {
        const name = basename(context.filename);
        if (!/^[a-z][A-Za-z0-9]*(\.[a-z0-9]+)+$/.test(name)) {
          context.report({ loc: { line: 1, column: 0 }, message: `File name "${name}" is not camelCase, the project's one convention for file names.` });
        }
        return {};
      },
    },
  },
};

export default defineConfig(
  // Build output, installed packages, test and benchmark output (.gitignore).
  { ignores: ['dist/', 'node_modules/', 'test-output/', '.vscode-test/', 'bench/.cache/', '*.vsix'] },
  js.configs.recommended,
  { plugins: { conventions }, rules: { 'conventions/file-name': 'error' } },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          // node:test's registration calls return promises that the runner itself awaits.
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] },
          ],
        },
      ],
      // An async method that does not await still keeps a Promise-returning contract (RPC APIs, stores, fakes) and turns a throw into a rejection.
      '@typescript-eslint/require-await': 'off',
      // Omitting a key by destructuring it beside a rest (`{ id: _id, ...rest }`) is the codebase's idiom.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
      'no-restricted-syntax': [
        'error',
        { selector: 'PrivateIdentifier', message: "Use TypeScript's `private`, the project's one convention for private members." },
      ],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^\\.{1,2}/.*\\.ts$',
              message: "Import with the .js specifier, the project's one convention (tsx and esbuild resolve it to the .ts file).",
            },
          ],
        },
      ],
    },
  },
  // The build script (an ES module) and the VS Code harness (CommonJS), run by Node.
  { files: ['**/*.mjs'], languageOptions: { sourceType: 'module', globals: globals.node } },
  { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs', globals: globals.node } },
  // The harness's page.evaluate callbacks run in the workbench page.
  { files: ['test/vscode/*.cjs'], languageOptions: { globals: globals.browser } },
  // Mocha runs the suites inside the extension host.
  { files: ['test/vscode/suite/**/*.cjs', 'test/vscode/restricted/**/*.cjs'], languageOptions: { globals: globals.mocha } },
);
