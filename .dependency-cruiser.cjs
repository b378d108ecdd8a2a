/**
 * The dependency rule of the hexagon, checked by `npm test`:
 * - src/domain is plain TypeScript: it imports only src/domain (no packages, no node builtins).
 * - src/application imports only src/domain.
 * - nothing in src/ imports the sandbox host or the tests.
 * - the sandbox is a host like any other: of the plugin it imports src/contract/ and the entry only.
 * - src/contract/ depends on nothing of the plugin, so a host can be written from it alone.
 * - hosts/ (Campus) and conformance/ (the kit) see the contract and the entry only; hosts/ never the sandbox.
 * - adapters do not import one another, except the shared folders (src/adapters/http/shared,
 *   src/adapters/host, src/adapters/crypto, src/adapters/views.ts).
 * - HTTP does not read the host's data ports (users, enrolments, catalogue, seats) itself: it goes
 *   through use cases or the host adapter.
 * - hooks only call use cases: src/hooks imports src/application, src/domain, src/contract and the
 *   container's identifiers, nothing else of the plugin.
 * Rules that code still being restructured breaks are `warn` (each says so); the rest are `error`.
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
      name: 'hosts-see-only-the-contract',
      comment: 'A host of our own (hosts/) and the conformance kit (conformance/) are written as a host team would: src/contract/ and the entry only. The kit\'s own hosts may adapt the sandbox.',
      severity: 'error',
      from: { path: '^(hosts|conformance)/' },
      to: { path: '^(src/|test/|bench/)', pathNot: '^src/(contract/|plugin\\.ts$)' },
    },
    {
      name: 'hosts-stay-apart',
      comment: 'Campus is built without the sandbox: nothing under hosts/ imports sandbox/.',
      severity: 'error',
      from: { path: '^hosts/' },
      to: { path: '^sandbox/' },
    },
    {
      name: 'contract-is-closed',
      comment: 'The contract is what a host imports: it may not reach into the plugin.',
      severity: 'error',
      from: { path: '^src/contract/' },
      to: { path: '^src/', pathNot: '^src/contract/' },
    },
    {
      name: 'adapters-stay-apart',
      comment:
        'An adapter (src/adapters/<name>/, and each of http/{public,admin,panels,api}) imports another only through a shared folder: '
        + 'src/adapters/shared (knex helpers), src/adapters/http/shared, src/adapters/host, src/adapters/crypto (a leaf: key derivation and CSRF tokens every edge needs), src/adapters/views (the one template renderer). '
        + 'Anything else an adapter needs of another is a port (src/domain/ports) bound in the container.',
      severity: 'error',
      from: { path: '^src/adapters/(http/(?:public|admin|panels|api)|(?!http/)[^/]+)/' },
      to: {
        path: '^src/adapters/',
        pathNot: ['^src/adapters/$1/', '^src/adapters/shared/', '^src/adapters/http/shared/', '^src/adapters/host/', '^src/adapters/crypto/', '^src/adapters/views(\\.ts$|/)'],
      },
    },
    {
      name: 'adapter-folders-stay-apart',
      comment: 'Top-level adapter folders (persistence, mail, crypto, rate-limit, host) do not reach into HTTP.',
      severity: 'error',
      from: { path: '^src/adapters/(?!http/)[^/]+/' },
      to: { path: '^src/adapters/http/' },
    },
    {
      name: 'http-does-not-read-host-data-ports',
      comment:
        'HTTP reads users, enrolments, catalogue, seats and passwords through use cases (src/application) or the host adapter (src/adapters/host), never from the port modules.',
      severity: 'error',
      from: { path: '^src/adapters/http/' },
      to: { path: ['^src/domain/ports/(users|enrolments|catalogue|seats|passwords|portal)\\.port\\.ts$', '^src/contract/ports\\.ts$'] },
    },
    {
      name: 'hooks-call-use-cases-only',
      comment: 'A hook translates a host event into a use case: it imports src/application, src/contract and src/types.ts (the DI identifiers) only, never a port or a repository.',
      severity: 'error',
      from: { path: '^src/hooks/' },
      to: { path: '^src/', pathNot: ['^src/(application|contract|hooks)/', '^src/types\\.ts$'] },
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
