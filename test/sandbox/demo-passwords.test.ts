/* Lost demo passwords: `npm run sandbox:passwords` gives the four demo accounts new ones that sign in, and the old ones stop working. */
import { expect } from 'chai';
import supertest from 'supertest';
import { resetDemoPasswords } from '../../sandbox/demo-passwords.js';
import { startTestSandbox, type TestSandbox } from './helpers.js';

describe('sandbox: new demo passwords for a newcomer who lost them', function () {
  this.timeout(60_000);
  let t: TestSandbox;
  before(async () => {
    t = await startTestSandbox({ plugin: false });
  });
  after(() => t?.destroy());

  const signIn = (email: string, password: string) => supertest(t.sandbox.app).post('/login').type('form').send({ email, password });

  it('sets a new password for each demo account, keeping ADMIN_PASSWORD for the Super admin', async () => {
    const accounts = await resetDemoPasswords(t.knex, t.config);
    expect(accounts.map((a) => a.label)).to.deep.equal(['Super admin', 'Standard admin', 'Staff learner', 'Client learner']);
    expect(accounts[0]!.password, 'ADMIN_PASSWORD is set in the tests').to.equal(undefined);
    for (const a of accounts.slice(1)) {
      const old = t.accounts[a.label]!.password;
      expect(a.password).to.be.a('string').and.not.equal(old);
      expect((await signIn(a.email, a.password!)).status, a.label).to.equal(303);
      expect((await signIn(a.email, old)).status, `${a.label} old password`).to.not.equal(303);
    }
    expect((await signIn(accounts[0]!.email, t.accounts['Super admin']!.password)).status).to.equal(303);
  });
});
