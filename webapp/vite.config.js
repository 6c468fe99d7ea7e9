import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

// Built into web/static/app/, which customers-server serves at / (see web/webapp.py).
const outDir = fileURLToPath(new URL('../web/static/app', import.meta.url));

export default defineConfig({
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir,
    emptyOutDir: true,
    assetsInlineLimit: 0, // no data: URLs (the page's policy allows only its own origin)
    modulePreload: { polyfill: false },
    target: 'es2022',
  },
  plugins: [
    VitePWA({
      strategies: 'generateSW',
      injectRegister: false, // src/main.jsx registers /sw.js itself
      manifest: false,
      filename: 'sw.js',
      workbox: {
        globPatterns: ['**/*.{html,js,css,svg}'],
        navigateFallback: '/index.html',
        navigateFallbackAllowlist: [/^\/$/, /^\/index\.html$/],
        inlineWorkboxRuntime: true,
        clientsClaim: true,
        skipWaiting: true,
        cleanupOutdatedCaches: true,
      },
    }),
  ],
  test: {
    include: ['test/**/*.test.js'],
    environment: 'node',
  },
});
