import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import reactRefresh from 'eslint-plugin-react-refresh';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist',
      'dist-*',
      'playwright.[0-9]*.config.ts',
      'node_modules',
      'test-results',
      'playwright-report',
      'public/models',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks, 'react-refresh': reactRefresh },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'react-refresh/only-export-components': ['warn', { allowConstantExport: true }],
    },
  },
  // Layers stay honest: core is pure, the UI never touches IndexedDB or WebLLM directly.
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['react', 'react-dom', 'react/*', 'zustand', 'zustand/*'],
              message: 'src/core is pure TypeScript.',
            },
            { group: ['idb', '@mlc-ai/*'], message: 'src/core has no side-effect libraries.' },
            {
              group: ['**/ui/**', '**/store/**', '**/engine/**'],
              message: 'src/core depends on nothing above it.',
            },
          ],
        },
      ],
      // Core is deterministic: the clock is the caller's (a `now` option or parameter).
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'src/core takes the time from its caller.' },
        {
          object: 'performance',
          property: 'now',
          message: 'src/core takes the time from its caller.',
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'src/core takes the time from its caller.',
        },
      ],
    },
  },
  {
    files: ['src/ui/**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['idb', 'idb/*'],
              message: 'The UI talks to stores in src/store, not IndexedDB.',
            },
            {
              group: ['@mlc-ai/*'],
              message: 'The UI talks to the engine through src/store services.',
            },
            // Relative paths as regexes: a glob like '**/engine/**' would also match store/engine.
            {
              regex: '^(\\.\\./)+engine(/.*)?$',
              message:
                'The UI imports nothing from src/engine (types included): src/store/engine re-exports what views need.',
            },
            {
              regex: '^(\\.\\./)+store/(db(/.*)?|.*Repository|tabs/(gpuLock|inProcessLocks))$',
              // The shapes of stored records are what views show; only code is off limits.
              allowTypeImports: true,
              message:
                'The UI talks to stores and their services, not to store plumbing (database, repositories, locks).',
            },
          ],
        },
      ],
    },
  },
);
