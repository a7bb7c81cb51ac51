import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The core must run in browsers: only Node-only folders may import node: modules.
const nodeOnly = ['src/node/**', 'src/cli/**', 'src/linux/**'];

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'web/dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['src/**/*.ts'],
    ignores: nodeOnly,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*'], message: 'core code runs in browsers: move Node-only code under src/node' },
          ],
        },
      ],
    },
  },
  {
    // Scripts run by Node directly.
    files: ['bench/**/*.mjs', 'bin/**/*.js', 'scripts/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly' } },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
);
