import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Cross-origin isolation (COOP/COEP) lets onnxruntime-web use multi-threaded wasm later; set on
// both the dev and the preview server so the two behave the same.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [react()],
  server: { headers: isolation },
  preview: { headers: isolation, port: 4173, strictPort: false },
  worker: { format: 'es' },
  build: { target: 'es2022' },
});
