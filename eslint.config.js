// @ts-check
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import importX, { createNodeResolver } from 'eslint-plugin-import-x'

/**
 * A forbidden arrow: files under `target` may not import from `from`, nor from bin/, test/ or bench/.
 * @param {string} target
 * @param {string[]} from
 * @param {string} message
 */
function zone(target, from, message) {
  return { target: `./${target}`, from: [...from, 'bin', 'test', 'bench'].map((f) => `./${f}`), message }
}

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'ui/dist/**',
      'bench/results/**',
      'bench/cache/**',
      'test-output/**',
      '**/*.js',
      '**/*.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { 'import-x': importX },
    // Imports name their `.ts` files; a resolver that follows them makes the import rules see the graph.
    settings: {
      'import-x/extensions': ['.ts', '.tsx', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver-next': [
        createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.json', '.node'] }),
      ],
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/require-await': 'off',
      'import-x/no-cycle': 'error',
    },
  },
  {
    // The domain is pure: zod and xstate only; time and ids come in as data.
    files: ['core/domain/**/*.ts'],
    ignores: ['core/domain/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!zod$|xstate$|\\.{1,2}/).*',
              message: 'core/domain may import only zod, xstate and itself',
            },
            { regex: '^\\.\\./\\.\\./', message: 'core/domain may not import outside itself' },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'time comes in as data' },
        { object: 'Math', property: 'random', message: 'ids and randomness come in as data' },
      ],
      'no-restricted-globals': ['error', 'process', 'setTimeout', 'setInterval', 'fetch'],
    },
  },
  {
    // The architecture's arrows (STYLE.md): adapters import the domain, never each other. Only
    // bin/ wires them together; tests and their support files may reach anywhere. Those
    // exemptions are the `ignores` below (bin/, test/ and bench/ are simply not targets).
    files: ['core/**/*.ts', 'transport/**/*.ts', 'tasks/**/*.ts', 'api/**/*.ts', 'ui/**/*.ts', 'ui/**/*.tsx'],
    ignores: [
      '**/*.test.ts',
      '**/*.test.tsx',
      '**/*.test-support.ts',
      '**/*.fixture.ts',
      '**/test-support/**',
      '**/testing/**',
      'transport/store/store-contract.ts',
      'ui/e2e/**',
      'bin/**',
      'test/**',
      'bench/**',
    ],
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        {
          basePath: import.meta.dirname,
          zones: [
            zone(
              'core/domain',
              ['core/monitor', 'transport', 'tasks', 'api', 'ui'],
              'the domain imports none of the other folders',
            ),
            zone('core/monitor', ['transport', 'tasks', 'api', 'ui'], 'the monitor imports only the domain'),
            zone('transport', ['core/monitor', 'tasks', 'api', 'ui'], 'transport imports only the domain'),
            zone('tasks', ['core/monitor', 'api', 'ui'], 'tasks import only the domain and transport'),
            zone('api', ['transport', 'tasks', 'ui'], 'the api imports only the domain and the monitor'),
            zone('ui', ['core/monitor', 'transport', 'tasks', 'api'], 'the UI imports only the domain'),
          ],
        },
      ],
    },
  },
  {
    // The API sees the monitor through its port: from core/monitor it imports only monitor-port.ts.
    files: ['api/**/*.ts'],
    ignores: ['api/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '/core/monitor/(?!monitor-port\\.ts$)',
              message: 'api may import from core/monitor only its port (core/monitor/monitor-port.ts)',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.test.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
    },
  },
)
