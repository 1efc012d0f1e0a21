/** Style sheets imported by a webview's script are bundled by esbuild into its own .css file. */
declare module '*.css';
