import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// process.env is read in one env.ts per entry point, which hands plain settings to the code it starts.
const processEnv = {
  object: 'process',
  property: 'env',
  message: 'Read the environment only in an env.ts module (one per entry point) and pass the settings in.',
};
// The time comes from one injected clock (@onecheck/clock), so tests can pin it.
const dateNow = { object: 'Date', property: 'now', message: 'Take the time from a Clock (@onecheck/clock).' };
const newDate = {
  selector: "NewExpression[callee.name='Date'][arguments.length=0]",
  message: 'Take the time from a Clock (@onecheck/clock), not new Date().',
};

export default tseslint.config(
  { ignores: ['**/node_modules/**', 'data/**', 'tmp/**', '**/drizzle/**', 'services/*/src/generated/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-restricted-properties': ['error', processEnv, dateNow],
      'no-restricted-syntax': ['error', newDate],
      // Relative imports in one style: extensionless (moduleResolution Bundler).
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^\\.{1,2}/.*\\.ts$', message: "Write relative imports without '.ts'." }] },
      ],
    },
  },
  { files: ['**/env.ts'], rules: { 'no-restricted-properties': ['error', dateNow] } },
  {
    files: ['packages/clock/src/index.ts'],
    rules: { 'no-restricted-properties': ['error', processEnv], 'no-restricted-syntax': 'off' },
  },
  // Tool configuration, read by the tools themselves: vitest configs import each other with the
  // extension because Vite loads them natively, and CI's scripts are their own entry points.
  {
    files: ['**/vitest.config.ts', 'eslint.config.js', '.ci/**'],
    rules: { 'no-restricted-imports': 'off', 'no-restricted-properties': ['error', dateNow] },
  },
  { files: ['**/*.mjs', '**/*.js'], languageOptions: { globals: { process: 'readonly', console: 'readonly' } } },
);
