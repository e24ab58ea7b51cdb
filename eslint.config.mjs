// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/node_modules/**', '.parley/**', 'coverage/**', 'test-artifacts/**', 'bench-results/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    // Plain JavaScript (config files, the dependency-free bootstrap) is not type-checked.
    files: ['**/*.{js,mjs,cjs}'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['frontend/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Scripts are command-line tools that talk to a person on the console.
    files: ['scripts/**', '**/*.mjs', '**/e2e/**'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['frontend/src/**/*.test.ts'],
    languageOptions: { parserOptions: { projectService: false, project: ['./frontend/tsconfig.test.json'] } },
  },
  {
    files: ['**/*.test.ts', '**/*.test.tsx', '**/test/**', 'frontend/e2e/**'],
    ignores: ['frontend/src/**'],
    // The build tsconfigs leave tests out; tsconfig.test.json covers them.
    languageOptions: { parserOptions: { projectService: false, project: ['./tsconfig.test.json'] } },
    rules: {
      // expect(mock.fn).toHaveBeenCalled() and friends trip this rule.
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);
