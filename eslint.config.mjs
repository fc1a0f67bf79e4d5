// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      '.gen-dist/**',
      'test-artifacts/**',
      'node_modules/**',
      'coverage/**',
      '.data/**',
      'bench/results/**',
      'eslint.config.mjs',
      // Written against a client generated during its test, which compiles it with strict tsc;
      // without that generated schema it cannot be type-checked, so it is not linted here.
      'test/openapi-client/**',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  prettier,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': [
        'error',
        // Nest's DI reads constructor parameter types from decorator metadata, so those
        // imports must stay value imports.
        { prefer: 'type-imports', fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Core is what every feature builds on: it imports none of them (features register with
    // core instead, e.g. the embed origins), and the live protocol is shared from src/protocol.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/comments/**',
                '**/topics/**',
                '**/rooms/**',
                '**/spaces/**',
                '**/identity/**',
                '**/moderation/**',
                '**/reactions/**',
                '**/embed/**',
                '**/topic-stream/**',
                '**/open-data/**',
                '**/profile/**',
                '**/web/**',
              ],
              message: 'core/ imports no feature: let the feature register with core instead.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/protocol/**/*.ts'],
    rules: {
      // The web client imports the protocol as it is: it imports nothing but itself.
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(?!\\./)', message: 'src/protocol is dependency-free.' }] },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'src/**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
    },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      parserOptions: { projectService: false, project: null },
      sourceType: 'commonjs',
      globals: {
        module: 'writable',
        require: 'readonly',
        __dirname: 'readonly',
        process: 'readonly',
      },
    },
    rules: {
      ...tseslint.configs.disableTypeChecked.rules,
      // The project's JavaScript files are CommonJS (see sourceType): require is how they import.
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
);
