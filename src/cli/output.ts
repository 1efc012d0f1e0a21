/**
 * How the command line talks: results on stdout; progress and logs on stderr, as a line that
 * rewrites itself on a terminal and as one JSON object per event otherwise (CI, a pipe); errors
 * and problems of the input as plain lines.
 * NO_COLOR is respected. No vscode import.
 */
import type { Logger } from '../toloka/logger';

export interface Io {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
}

export const processIo: Io = { stdout: process.stdout, stderr: process.stderr, env: process.env };

export class Reporter {
  private live = false;

  constructor(
    private readonly io: Io,
    private readonly command: string,
  ) {}

  get interactive(): boolean {
    return this.io.stderr.isTTY === true && this.io.env['CI'] !== 'true';
  }

  private get color(): boolean {
    return this.interactive && !this.io.env['NO_COLOR'];
  }

  /** A structured event: one JSON line off a terminal, a readable line on one. */
  event(type: string, fields: Record<string, unknown>, text: string): void {
    if (this.interactive) this.line(text);
    else this.io.stderr.write(`${JSON.stringify({ command: this.command, event: type, ...fields })}\n`);
  }

  /** Progress that replaces itself on a terminal; an event line otherwise. */
  progress(fields: Record<string, unknown>, text: string): void {
    if (!this.interactive) {
      this.io.stderr.write(`${JSON.stringify({ command: this.command, event: 'progress', ...fields })}\n`);
      return;
    }
    this.io.stderr.write(`\r\x1b[2K${text}`);
    this.live = true;
  }

  private line(text: string): void {
    if (this.live) this.io.stderr.write('\r\x1b[2K');
    this.live = false;
    this.io.stderr.write(`${text}\n`);
  }

  /** An error or a problem of the input (`file:line: field: message`): plain text, always, for people and CI logs alike. */
  error(text: string): void {
    if (this.interactive) this.line(this.color ? `\x1b[31m${text}\x1b[0m` : text);
    else this.io.stderr.write(`${text}\n`);
  }

  /** The client's log, on stderr: warnings and errors always, the rest with --verbose. */
  logger(verbose: boolean): Logger {
    const say = (level: string) => (message: string) => this.event('log', { level, message }, `${level}: ${message}`);
    const quiet = (): void => undefined;
    return { trace: quiet, debug: verbose ? say('debug') : quiet, info: verbose ? say('info') : quiet, warn: say('warn'), error: say('error') };
  }
}
