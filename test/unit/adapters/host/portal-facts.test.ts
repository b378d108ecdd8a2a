import { expect } from 'chai';
import { CachedPortalFacts } from '../../../../src/adapters/host/portal-facts.js';
import type { PortalInfo } from '../../../../src/contract/index.js';

const portal = (timeZone: string): PortalInfo => ({ name: 'Acme', primaryAdminEmail: 'admin@acme.test', publicBaseUrl: 'https://acme.test', timeZone });

describe('adapters/host: portal facts', () => {
  it('asks the host once per interval, concurrent readers sharing the call', async () => {
    let calls = 0;
    let now = 0;
    const facts = new CachedPortalFacts({ info: async () => (calls++, portal('Europe/London')) }, 1000, () => now);
    await Promise.all([facts.info(), facts.info(), facts.timeZone()]);
    expect(calls).to.equal(1);
    now = 999;
    await facts.info();
    expect(calls).to.equal(1);
    now = 1000;
    expect(await facts.timeZone()).to.equal('Europe/London');
    expect(calls).to.equal(2);
    facts.invalidate();
    await facts.info();
    expect(calls).to.equal(3);
  });

  it('a time zone Intl does not know becomes UTC; a failed read is not kept', async () => {
    let fail = true;
    const facts = new CachedPortalFacts({ info: async () => { if (fail) throw new Error('host down'); return portal('Mars/Olympus'); } }, 1000, () => 0);
    await facts.info().then(() => expect.fail('resolved'), (e: Error) => expect(e.message).to.equal('host down'));
    fail = false;
    expect(await facts.info()).to.deep.equal(portal('UTC'));
  });
});
