import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

// Cross-origin isolation (COOP/COEP) lets onnxruntime-web run multi-threaded wasm; set on both the
// dev and the preview server so the two behave the same. On a host that cannot send them, the
// service worker (workers/sw.ts) adds them.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/** bigger than ONNX Runtime's plain wasm build (14 MB), which the offline studio must hold */
const LARGEST_PRECACHED_FILE = 24 * 1024 * 1024;

export default defineConfig({
  plugins: [
    react(),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'workers',
      filename: 'sw.ts',
      // registered by app/ui/serviceWorker.ts, which also handles isolation and updates
      injectRegister: false,
      manifest: {
        name: 'MAE-DET Studio',
        short_name: 'MAE-DET',
        description: 'Zero-shot neural architecture search for detection backbones, in the browser',
        start_url: '.',
        scope: '.',
        display: 'standalone',
        background_color: '#f7f8fa',
        theme_color: '#1f3a5f',
        icons: [
          { src: 'icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: 'icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: 'favicon.svg', sizes: 'any', type: 'image/svg+xml' },
        ],
      },
      injectManifest: {
        rollupFormat: 'iife',
        // KaTeX's woff2 fonts only (every browser with service workers reads woff2); the WebGPU
        // build of ONNX Runtime (28 MB) is kept when first used, not precached
        globPatterns: ['**/*.{js,mjs,css,html,svg,png,woff2,wasm,json,webmanifest}'],
        globIgnores: ['**/*.jsep*'],
        maximumFileSizeToCacheInBytes: LARGEST_PRECACHED_FILE,
      },
    }),
  ],
  server: { headers: isolation },
  preview: { headers: isolation, port: 4173, strictPort: false },
  worker: { format: 'es' },
  build: { target: 'es2022' },
});
