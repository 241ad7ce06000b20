import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The server serves dist/ at / (packages/server/src/http/web-routes.ts): hashed files under /assets/ are
// cached as immutable, index.html never is. `vite dev` proxies the API to a server on :8080.
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, assetsInlineLimit: 0 },
  server: {
    proxy: Object.fromEntries(
      ['/api', '/oauth', '/.well-known', '/Token', '/docs'].map((path) => [path, 'http://127.0.0.1:8080']),
    ),
  },
});
