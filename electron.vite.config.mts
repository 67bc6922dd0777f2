import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          electron: resolve(root, 'src-main/electron/main.ts'),
          serve: resolve(root, 'src-main/server/cli.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload cannot require packages at run time, so zod is bundled in.
      externalizeDeps: false,
      rollupOptions: { input: { preload: resolve(root, 'src-main/electron/preload.ts') } },
    },
  },
  renderer: {
    root: 'src-renderer',
    base: './',
    build: {
      outDir: 'out/renderer',
      rollupOptions: { input: resolve(root, 'src-renderer/index.html') },
    },
    plugins: [react()],
  },
});
