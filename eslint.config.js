// ESLint for the whole repo: JavaScript's and typescript-eslint's recommended rules, React's hook
// rules for the page, and the engine's boundary (no DOM, Node or worker imports in app/engine).
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'test-results/', 'runs/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node, ...globals.worker } },
    rules: {
      // unused names are the compiler's job (noUnusedLocals/Parameters); `_x` marks a deliberate one
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  {
    files: ['app/ui/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    files: ['app/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['react', 'react-dom', 'zustand', 'comlink', 'idb-keyval', 'node:*', '../ui/*', '../../ui/*', '../../workers/*', '../../../workers/*'], message: 'the engine is pure TypeScript: no UI, worker or Node imports' }] }],
    },
  },
);
