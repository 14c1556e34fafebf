import { defineConfig } from 'vite';

/** The storefront and ops console, built to web/dist: static files for S3 or the local server. */
export default defineConfig({
  // Vite's esbuild compiles TSX with React's automatic runtime; no React plugin is needed.
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // uPlot and React together are ~170 kB; a warning at 500 kB would only be noise.
    chunkSizeWarningLimit: 600,
  },
  server: { proxy: { '/api': 'http://localhost:3000', '/metrics': 'http://localhost:3000' } },
});
