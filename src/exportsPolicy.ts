/**
 * What the extension's `activate` returns, by the mode VS Code runs it in: in production and
 * development, nothing, so no other extension can reach its internals through
 * `vscode.extensions.getExtension(…).exports`; under tests, the test seam, built only then.
 * No vscode import, so the rule is unit-tested in plain Node.
 */
export type ExtensionRunMode = 'production' | 'development' | 'test';

export function extensionExports<T>(mode: ExtensionRunMode, buildTestSeam: () => T): T | undefined {
  return mode === 'test' ? buildTestSeam() : undefined;
}
