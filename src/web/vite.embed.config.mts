import { resolve } from 'node:path';
import { defineConfig } from 'vite';

/**
 * `/embed.js`, the loader a committee page includes. One small classic script with no
 * dependencies (it runs on other people's pages), so it is built apart from the pages.
 */
export default defineConfig({
  root: import.meta.dirname,
  publicDir: false,
  build: {
    outDir: resolve(import.meta.dirname, '../../dist/web'),
    emptyOutDir: false,
    target: 'es2019',
    minify: true,
    lib: {
      entry: resolve(import.meta.dirname, 'embed/loader.ts'),
      formats: ['iife'],
      name: 'MadangEmbed',
      fileName: () => 'embed.js',
    },
  },
});
