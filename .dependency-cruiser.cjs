/**
 * The dependency rule of the hexagon, checked by `npm test`:
 * - src/domain is plain TypeScript: it imports only src/domain (no packages, no node builtins).
 * - src/application imports only src/domain.
 * - nothing in src/ imports the sandbox host or the tests.
 * - the sandbox is a host like any other: of the plugin it imports src/contract/ and the entry only.
 * - src/contract/ depends on nothing of the plugin, so a host can be written from it alone.
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
      name: 'sandbox-sees-only-the-contract',
      comment: 'A host is written against src/contract/ and loads the entry (src/plugin.ts); nothing else of the plugin.',
      severity: 'error',
      from: { path: '^sandbox/' },
      to: { path: '^src/', pathNot: '^src/(contract/|plugin\\.ts$)' },
    },
    {
      name: 'contract-is-closed',
      comment: 'The contract is what a host imports: it may not reach into the plugin.',
      severity: 'error',
      from: { path: '^src/contract/' },
      to: { path: '^src/', pathNot: '^src/contract/' },
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
