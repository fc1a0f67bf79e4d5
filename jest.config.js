/**
 * NestJS 12 and a few of its dependencies ship only as ES modules. The server loads them
 * natively (Node's require(esm), unflagged on every Node the project supports). Jest's module
 * runtime implements `require` itself and can load an ES module only on Node 24.9+ and with
 * --experimental-vm-modules; the floor is Node 22, so for tests those packages are converted to
 * CommonJS by Babel instead. Our own TypeScript goes through ts-jest.
 */
const ESM_PACKAGES = [
  '@nestjs',
  'file-type',
  'token-types',
  'strtok3',
  'peek-readable',
  '@tokenizer',
  'uint8array-extras',
  '@borewit',
  'uid',
  '@standard-schema',
  'es-toolkit',
  'js-yaml',
];

/** @type {import('jest').Config['transform']} */
const transform = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: false }],
  '^.+\\.m?js$': [
    'babel-jest',
    {
      babelrc: false,
      configFile: false,
      plugins: [
        require.resolve('./test/utils/babel-cjs-require.js'),
        'babel-plugin-transform-import-meta',
        '@babel/plugin-transform-dynamic-import',
        '@babel/plugin-transform-modules-commonjs',
      ],
    },
  ],
};

const common = {
  testEnvironment: 'node',
  rootDir: '.',
  transform,
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_PACKAGES.join('|')})/)`],
  setupFiles: ['reflect-metadata'],
};

const e2e = {
  ...common,
  globalSetup: '<rootDir>/test/utils/global-setup.ts',
  globalTeardown: '<rootDir>/test/utils/global-teardown.ts',
  setupFiles: ['reflect-metadata', '<rootDir>/test/utils/load-test-env.ts'],
  slowTestThreshold: 15,
};

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    {
      ...e2e,
      displayName: 'e2e',
      // Browser specs drive headless Chromium against the built pages (npm test builds them).
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts', '<rootDir>/test/browser/**/*.browser-spec.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/faults/'],
    },
    {
      // Fault and load suites: each starts its own processes (nodes, a private Redis or
      // PostgreSQL) and loads them; `npm test` runs them one at a time after the rest, so what
      // they measure is the system under test, not the other suites competing for the cores.
      ...e2e,
      displayName: 'faults',
      testMatch: ['<rootDir>/test/faults/**/*.e2e-spec.ts'],
    },
  ],
  testTimeout: 60000,
};
