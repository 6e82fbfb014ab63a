// The "API Atlas" log output channel: everything the user may want to read later, shown by itself on errors.
import * as vscode from 'vscode';

export class AtlasLog implements vscode.Disposable {
  /** The channel itself, for parts that log through the VS Code API directly (the knowledge panel). */
  readonly channel = vscode.window.createOutputChannel('API Atlas', { log: true });
  private shownForError = false;

  info(message: string): void {
    this.channel.info(message);
  }

  warn(message: string): void {
    this.channel.warn(message);
  }

  /** Logs and reveals the channel once per session, so an error is seen without the channel popping up again and again. */
  error(message: string, err?: unknown): void {
    const detail = err instanceof Error ? (err.stack ?? err.message) : err !== undefined ? String(err) : '';
    this.channel.error(detail ? `${message}\n${detail}` : message);
    if (!this.shownForError) {
      this.shownForError = true;
      this.channel.show(true);
    }
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}
