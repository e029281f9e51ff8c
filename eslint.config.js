import tseslint from 'typescript-eslint';

/**
 * The layers of src/ (ARCHITECTURE.md "Layers"): a folder may import only the folders listed for it. A
 * wrong-way import fails `npm run lint` (test/unit/lint-layers.test.ts proves it does).
 */
const LAYERS = {
  domain: [],
  registry: [],
  'aws-sdk': [],
  platform: ['domain'],
  config: ['platform', 'domain'],
  output: ['platform', 'domain'],
  audit: ['platform', 'domain'],
  plan: ['config', 'platform', 'domain'],
  cache: ['audit', 'platform', 'domain'],
  sts: ['aws-sdk', 'config', 'platform', 'domain'],
  sso: ['sts', 'aws-sdk', 'config', 'platform', 'domain'],
  exec: ['output', 'platform', 'domain'],
  shell: ['registry', 'output', 'platform', 'domain'],
  server: ['output', 'platform', 'domain'],
  console: ['config', 'platform', 'domain'],
  keyring: ['platform', 'domain'],
  integrations: ['config', 'output', 'platform', 'domain'],
  credentials: ['plan', 'cache', 'sts', 'sso', 'keyring', 'audit', 'config', 'output', 'platform', 'domain'],
  agent: ['registry', 'credentials', 'integrations', 'plan', 'config', 'output', 'audit', 'platform', 'domain'],
  commands: [
    'registry',
    'agent',
    'credentials',
    'exec',
    'shell',
    'server',
    'console',
    'integrations',
    'keyring',
    'plan',
    'config',
    'output',
    'audit',
    'platform',
    'domain',
  ],
};
const FOLDERS = [...Object.keys(LAYERS), 'cli'];

const layerRules = Object.entries(LAYERS).map(([folder, allowed]) => {
  const forbidden = FOLDERS.filter((f) => f !== folder && !allowed.includes(f));
  return {
    files: [`src/${folder}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: `^\\.\\.?/(?:\\.\\./)*(?:${forbidden.join('|')})/`,
              message: `src/${folder}/ may import only ${allowed.length ? allowed.join(', ') : 'node built-ins'} (ARCHITECTURE.md "Layers")`,
            },
          ],
        },
      ],
    },
  };
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.agents/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Only cli/ may touch process.*; everything below gets Deps.
    files: ['src/**/*.ts'],
    ignores: ['src/cli/**'],
    rules: {
      'no-restricted-globals': ['error', { name: 'process', message: 'use Deps (src/platform/deps.ts); only src/cli reads process' }],
    },
  },
  ...layerRules,
  {
    // Unit tests stay pure: python oracles, tsx children and the built binary belong in test/integration,
    // test/interop or test/e2e (ARCHITECTURE.md "Tests").
    files: ['test/unit/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'node:child_process', message: 'test/unit spawns nothing: move this case to test/integration or test/interop' }],
        },
      ],
    },
  },
);
