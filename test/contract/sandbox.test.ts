/* The sandbox host (sandbox/) passes the host conformance kit (conformance/), reporting awaited. */
import { describeHost } from '../../conformance/kit/mocha.js';

describeHost({
  name: 'sandbox',
  factory: async () => (await import('../../conformance/hosts/sandbox.host.js')).createHost,
  expectations: 'conformance/hosts/sandbox.expectations.json',
});
