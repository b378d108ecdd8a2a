/**
 * The dependency rule of the hexagon, checked by `npm test`:
 * - src/domain is plain TypeScript: it imports only src/domain (no packages, no node builtins).
 * - src/application imports only src/domain.
 * - nothing in src/ imports the sandbox host or the tests.
 */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'src/domain may import only src/domain: no frameworks, no I/O, no node builtins.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { pathNot: '^src/domain/' },
    },
    {
      name: 'application-depends-on-domain-only',
      comment: 'Use cases talk to the world through domain ports only.',
      severity: 'error',
      from: { path: '^src/application/' },
      to: { pathNot: '^src/(domain|application)/' },
    },
    {
      name: 'plugin-does-not-know-the-sandbox',
      comment: 'The plugin talks to any host through the contract; the sandbox is just one host.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(sandbox|test|bench)/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    parser: 'swc',
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
  },
};
