import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const backend = 'http://localhost:3000';

export default defineConfig({
  resolve: {
    // common/ is TypeScript source shared with the backend.
    alias: { '@parley/common': fileURLToPath(new URL('../common/src/index.ts', import.meta.url)) },
  },
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    rolldownOptions: {
      output: {
        // Libraries change less often than the app: separate chunks stay cached across releases.
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler|react-router)[\\/]/ },
            // twitter-text (and what it pulls in) stays in its own chunk, loaded only for X channels;
            // the emoji picker and its data stay in the lazy chunk loaded when an agent opens it.
            { name: 'vendor', test: /node_modules[\\/](?!twitter-text|twemoji-parser|punycode|core-js|@babel|emoji-picker-react|shipstyles)/ },
          ],
        },
      },
      onwarn(warning, warn) {
        // React Query's "use client" markers mean nothing in a client-only bundle.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  server: {
    proxy: {
      '/api': backend,
      '/webhooks': backend,
      '/healthz': backend,
      '/socket.io': { target: backend, ws: true },
    },
  },
});
