/// <reference types="vitest/config" />
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The Porthole server `npm run dev` proxies /api and /ws to. */
const server = process.env.PORTHOLE_URL ?? 'http://127.0.0.1:8090';

// Assets go to dist/assets/ with content hashes; the server serves dist and fills in the CSP nonce.
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', assetsDir: 'assets', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 600 },
  server: {
    proxy: {
      '/api': { target: server },
      // The hub accepts only its own origin: present the proxied upgrade as coming from it.
      '/ws': { target: server, ws: true, changeOrigin: true, configure: (proxy) => proxy.on('proxyReqWs', (request) => request.setHeader('Origin', server)) },
    },
  },
  test: { environment: 'jsdom', include: ['src/**/*.test.{ts,tsx}'] },
});
