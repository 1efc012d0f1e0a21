import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

export interface WebviewPageOptions {
  readonly title: string;
  /** Style sheets and the one script, as files the webview may load (inside its localResourceRoots). */
  readonly styles: readonly vscode.Uri[];
  readonly script: vscode.Uri;
  /** The page's `<main>` element, already escaped. */
  readonly main: string;
  /** Sources beyond the webview's own, e.g. `{ 'img-src': 'https:' }`. */
  readonly allow?: Readonly<Record<string, string>>;
}

/** A webview's HTML: a CSP that runs only our script (by nonce) and loads only our files, plus what `allow` adds. */
export function webviewPage(webview: vscode.Webview, o: WebviewPageOptions): string {
  const nonce = randomBytes(16).toString('base64');
  const src = (uri: vscode.Uri): string => webview.asWebviewUri(uri).toString();
  const extra = (d: string) => (o.allow?.[d] ? ` ${o.allow[d]}` : '');
  const csp = [`default-src 'none'`, `img-src ${webview.cspSource} data:${extra('img-src')}`, ...(o.allow?.['media-src'] ? [`media-src ${webview.cspSource}${extra('media-src')}`] : []), `style-src ${webview.cspSource}`, `font-src ${webview.cspSource}`, `script-src 'nonce-${nonce}'`].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${o.styles.map((s) => `<link rel="stylesheet" href="${src(s)}">`).join('\n')}
<title>${o.title}</title>
</head>
<body>
${o.main}
<script nonce="${nonce}" src="${src(o.script)}"></script>
</body>
</html>`;
}

/**
 * Sets a panel's webview up to run scripts and load files from the extension's `media/` and
 * `dist/webviews/` only, and shows the page `page` describes with those folders.
 */
export function showWebviewPage(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, page: (media: vscode.Uri, dist: vscode.Uri) => WebviewPageOptions): void {
  const media = vscode.Uri.joinPath(extensionUri, 'media');
  const dist = vscode.Uri.joinPath(extensionUri, 'dist', 'webviews');
  panel.webview.options = { enableScripts: true, localResourceRoots: [media, dist] };
  panel.webview.html = webviewPage(panel.webview, page(media, dist));
}
