/* The in-memory fake host (conformance/hosts/memory/) passes the host conformance kit, reports included. */
import { describeHost } from '../../conformance/kit/mocha.js';

describeHost({
  name: 'memory',
  factory: async () => (await import('../../conformance/hosts/memory/index.js')).createHost,
  expectations: 'conformance/hosts/memory/expectations.json',
});
