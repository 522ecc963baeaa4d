// Build of the Loket PWA: Solid app shell + a service worker that precaches it and runs the outbox on Background Sync.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import solid from 'vite-plugin-solid';
import { assetHeadersFile } from '../schema/security-headers';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  publicDir: 'public',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
  },
  server: {
    // `vite dev` talks to `wrangler dev` for the API; same-origin cookies work through the proxy.
    proxy: { '/api': 'http://localhost:8787', '/dev': 'http://localhost:8787', '/.well-known': 'http://localhost:8787' },
  },
  plugins: [
    solid(),
    {
      // web/dist/_headers: Workers static assets send these security headers with every asset and the SPA fallback.
      name: 'loket-security-headers',
      generateBundle() {
        this.emitFile({ type: 'asset', fileName: '_headers', source: assetHeadersFile() });
      },
    },
    VitePWA({
      // injectManifest rather than generateSW: our own small worker (src/sw.ts) can import the outbox
      // engine and push it on a Background Sync event even when no tab is open. It still precaches the
      // shell with workbox-precaching and answers navigations with index.html like generateSW would.
      strategies: 'injectManifest',
      srcDir: 'src',
      filename: 'sw.ts',
      registerType: 'prompt',
      injectRegister: false, // src/components/UpdatePrompt.tsx registers through virtual:pwa-register/solid
      includeManifestIcons: false, // the png glob below already precaches them; listing twice is noise
      manifest: {
        name: 'Loket — Disdukcapil',
        short_name: 'Loket',
        description: 'Layanan kependudukan di loket Disdukcapil, tetap jalan tanpa sinyal. / Civil registry counter services that keep working offline.',
        lang: 'id',
        dir: 'ltr',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        orientation: 'any',
        theme_color: '#0b4f6c',
        background_color: '#f4f7f9',
        categories: ['government', 'productivity'],
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      injectManifest: {
        // Not `webmanifest`: the plugin adds the manifest to the precache itself (listing it twice
        // precaches it twice). wasm is listed for the lazy zxing reader of later issues.
        globPatterns: ['**/*.{js,css,html,png,svg,wasm}'],
        rollupFormat: 'iife',
      },
      devOptions: { enabled: false },
    }),
  ],
});
