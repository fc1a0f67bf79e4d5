import { resolve } from 'node:path';
import { defineConfig } from 'vite';

/**
 * The participant pages and facilitator console (index.html) and the embed widget
 * (widget.html), built into dist/web where the server serves them. The server owns routing:
 * it answers the pages' paths with index.html and the widget's with widget.html plus the
 * space's own frame-ancestors, so nothing here decides who may frame what.
 */
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  publicDir: false,
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: resolve(import.meta.dirname, '../../dist/web'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    rolldownOptions: {
      input: {
        app: resolve(import.meta.dirname, 'index.html'),
        widget: resolve(import.meta.dirname, 'widget.html'),
      },
      // What both pages share (Preact, the live client, the thread) is one cached file.
      output: {
        chunkFileNames: 'assets/shared-[hash].js',
        assetFileNames: (asset) =>
          asset.names.some((n) => n.endsWith('.css'))
            ? 'assets/styles-[hash][extname]'
            : 'assets/[name]-[hash][extname]',
      },
    },
  },
});
