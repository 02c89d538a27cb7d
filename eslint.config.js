// `npm run lint`: typescript-eslint with type information, and the import walls between layers.
// The rules chosen are the ones that catch real faults here (a promise nobody handles crashes the
// process through process-lifecycle's unhandled-rejection exit); style is Prettier's business.
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

/** One import wall: files under `from` may not import what `forbidden` matches (a regex over the import path). */
function wall(from, forbidden, message) {
  return {
    files: [`src/${from}/**/*.ts`],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: forbidden, message }] }],
    },
  };
}

/** The walls of ARCHITECTURE.md, each a rule that fails; test/unit/lint/import-walls.test.ts proves each still matches. */
export const IMPORT_WALLS = [
  wall('jobmanager', '(^|/)taskmanager/', 'jobmanager/ must not import taskmanager/: they talk over RPC gateways (src/rpc/gateways).'),
  wall('taskmanager', '(^|/)jobmanager/', 'taskmanager/ must not import jobmanager/: they talk over RPC gateways (src/rpc/gateways).'),
  wall('runtime', '(^|/)jobmanager/', 'runtime/ (operators, state, sources) must not import jobmanager/.'),
  wall('cli', '(^|/)(jobmanager|taskmanager)/', 'cli/ must not import jobmanager/ or taskmanager/: it drives processes and REST.'),
  wall(
    'autoscaler',
    '(^|/)(jobmanager|taskmanager|runtime)/',
    'autoscaler/ must not import jobmanager/, taskmanager/ or runtime/: it reads metrics over REST and acts through REST and the bin/ scripts, in or out of the JobManager.',
  ),
  wall('core', '^(\\.\\./|tsflink$)', 'core/ imports nothing of ours: it is the base every layer stands on.'),
  {
    // The dashboard shares one module with the server, its REST response types, and only as types:
    // `import type` is erased, so the browser never asks for a module that dist/web does not hold.
    files: ['src/web/**/*.ts'],
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^\\.\\./(?!rest/types/responses\\.js$)',
              message: 'web/ runs in the browser and may import only the REST response types (src/rest/types/responses.ts).',
            },
            {
              regex: '^\\.\\./rest/types/responses\\.js$',
              allowTypeImports: true,
              message: 'web/ runs in the browser: import the REST response types with `import type`, which is erased.',
            },
          ],
        },
      ],
    },
  },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'bench/results/**', 'test/fixtures/flink-data/**', '**/*.js', '**/*.mjs'] },
  {
    files: ['**/*.ts'],
    extends: [eslint.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // The faults this lint exists for: every promise is awaited, returned, or handed a rejection path.
      // `void p` is no handling: a voided promise that rejects still ends the process. node:test's
      // describe/it return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          ignoreVoid: false,
          allowForKnownSafeCalls: [
            {
              from: 'package',
              package: 'node:test',
              name: ['describe', 'it', 'test', 'suite', 'before', 'after', 'beforeEach', 'afterEach'],
            },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Off: values decoded from frames, JSON and user modules are typed `unknown`/`any` at the edge
      // on purpose and narrowed by validators; these rules would flag every such narrowing.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // Off: interfaces with async methods are implemented by synchronous classes in places (allowed by TS).
      '@typescript-eslint/require-await': 'off',
      // Off: `${number}` in messages is how this code base writes them.
      '@typescript-eslint/restrict-template-expressions': 'off',
      // Off: test doubles and tables of functions use unbound methods deliberately.
      '@typescript-eslint/unbound-method': 'off',
      // Off: the serializers switch over numeric type tags that are plain numbers on the wire.
      '@typescript-eslint/no-unsafe-enum-comparison': 'off',
      // Off: formatting of user values (records, keys, namespaces) stringifies whatever the job gives it.
      '@typescript-eslint/no-base-to-string': 'off',
      // Off: a few callbacks capture their owner by name where an arrow function would not read better.
      '@typescript-eslint/no-this-alias': 'off',
      // Off: the state descriptor's generic variance and JSON views in tests are typed any on purpose.
      '@typescript-eslint/no-explicit-any': 'off',
      // A variable assigned once, after a closure that reads it was created, cannot be const.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  ...IMPORT_WALLS,
);
