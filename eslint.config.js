// Lint, and the layering rules of DESIGN.md (the rooms of eslint.rooms.js): a wrong import fails the build.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { roomsPlugin } from './eslint.rooms.js';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The rooms and their arrows (eslint.rooms.js, shown in docs/architecture.md).
    files: ['main/**/*.{ts,cts}', 'renderer/**/*.{ts,tsx}', 'shared/**/*.ts'],
    plugins: { rooms: roomsPlugin },
    rules: { 'rooms/imports': 'error' },
  },
  {
    files: ['shared/**/*.ts'],
    rules: { 'no-restricted-globals': ['error', 'window', 'document', 'process', 'Buffer', 'require'] },
  },
  {
    // Hooks that tools load with require() (main/electron/after-pack.cjs).
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.{js,mjs}'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly', performance: 'readonly', fetch: 'readonly' } },
  },
);
