// ESLint, flat config, with type information (typescript-eslint's project service).
// Besides the promise rules, `no-restricted-imports` states the layers of src/: the folders
// that are a library of their own import no `vscode` and nothing from the editor layers, and
// views never reach into commands. test/unit/lint.test.ts checks that these rules fire.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Folders usable outside VS Code: the client, the sandbox, files, aggregation, deploy, the CLI. */
export const libraryFolders = ['toloka', 'sandbox', 'files', 'aggregation', 'deploy', 'cli', 'insights', 'tb'];
/** Folders that need VS Code. */
export const editorFolders = ['views', 'commands', 'environment', 'editors'];

const noVscode = { name: 'vscode', message: 'This folder is usable outside VS Code: it must not import vscode.' };
const editorPatterns = editorFolders.map((f) => ({
  group: [`**/${f}`, `**/${f}/**`, `../${f}/*`, `../../${f}/*`],
  message: `The library folders (${libraryFolders.join(', ')}) must not import from src/${f}: it needs VS Code.`,
}));

export default tseslint.config(
  {
    ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'artifacts/**', '.playground/**', 'media/**/*.js', '**/*.js', '**/*.mjs', '**/*.cjs'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-new-func': 'error',
      'no-eval': 'error',
      '@typescript-eslint/no-implied-eval': 'error',
      // Where a value's type is unknown the code narrows it; these would ask for casts instead.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/restrict-template-expressions': 'off',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      '@typescript-eslint/no-redundant-type-constituents': 'off',
      '@typescript-eslint/no-base-to-string': 'error',
    },
  },
  {
    files: libraryFolders.map((f) => `src/${f}/**/*.ts`),
    rules: {
      'no-restricted-imports': ['error', { paths: [noVscode], patterns: editorPatterns }],
    },
  },
  {
    files: ['src/views/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/commands', '**/commands/**', '../commands/*', '../../commands/*'], message: 'Views must not import from src/commands: move what both need (ids, helpers) out of commands.' }] },
      ],
    },
  },
  {
    files: ['src/webviews/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'Webview scripts run in the browser: talk to the extension with postMessage.' }],
          patterns: [{ group: ['node:*', '**/toloka/client', '**/toloka/http', '**/commands/**', '**/views/**', '**/environment/**'], message: 'Webview scripts run in the browser: no Node modules, no extension code.' }],
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      // Mocha's describe/it callbacks return promises that Mocha awaits.
      '@typescript-eslint/no-floating-promises': ['error', { allowForKnownSafeCalls: [{ from: 'package', name: ['describe', 'it', 'test', 'suite'], package: 'node:test' }] }],
    },
  },
);
