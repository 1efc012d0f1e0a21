import * as vscode from 'vscode';
import { jsonSchemaFor, payloadKindNames, type PayloadKind } from '../toloka/schemas';

export const SCHEMA_SCHEME = 'toloka-schema';

/** `toloka-schema:/pool.schema.json`: the bundled schemas, for a `$schema` reference in any JSON file. */
export class SchemaFileSystem implements vscode.FileSystemProvider {
  private readonly emitter = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.emitter.event;
  private kind(uri: vscode.Uri): PayloadKind {
    const name = uri.path.replace(/^\//, '').replace(/\.schema\.json$/, '');
    const kind = payloadKindNames.find((k) => k === name);
    if (!kind) throw vscode.FileSystemError.FileNotFound(uri);
    return kind;
  }
  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }
  stat(uri: vscode.Uri): vscode.FileStat {
    this.kind(uri);
    return { type: vscode.FileType.File, ctime: 0, mtime: 0, size: 0, permissions: vscode.FilePermission.Readonly };
  }
  readFile(uri: vscode.Uri): Uint8Array {
    return Buffer.from(JSON.stringify(jsonSchemaFor(this.kind(uri)), null, 1), 'utf8');
  }
  readDirectory(): [string, vscode.FileType][] {
    return payloadKindNames.map((k) => [`${k}.schema.json`, vscode.FileType.File]);
  }
  createDirectory(): void {
    throw vscode.FileSystemError.NoPermissions('read-only');
  }
  writeFile(): void {
    throw vscode.FileSystemError.NoPermissions('the Toloka schemas are read-only');
  }
  delete(): void {
    throw vscode.FileSystemError.NoPermissions('read-only');
  }
  rename(): void {
    throw vscode.FileSystemError.NoPermissions('read-only');
  }
}

export function registerSchemaFileSystem(context: vscode.ExtensionContext): void {
  context.subscriptions.push(vscode.workspace.registerFileSystemProvider(SCHEMA_SCHEME, new SchemaFileSystem(), { isReadonly: true, isCaseSensitive: true }));
}
