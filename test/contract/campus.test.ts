/* Campus (hosts/campus/), the second host built unlike the sandbox, passes the host conformance kit as a 1.1 host without reports or the admin frame. */
import { describeHost } from '../../conformance/kit/mocha.js';

describeHost({
  name: 'campus',
  factory: async () => (await import('../../hosts/campus/conformance.js')).createHost,
  expectations: 'hosts/campus/expectations.json',
});
