/*
 * The campaign of a deep link reaches the registration whichever way the person goes on: a signed-out
 * visitor who already has an account follows "Already have an account? Sign in", signs in and enrols
 * with one click — and the registration keeps the deep link's utm values. A forged or foreign seal is ignored.
 */
import { expect } from 'chai';
import supertest from 'supertest';
import { csrfIn } from '../support/csrf.js';
import { NO_LIMITS, startRegistrationSandbox, type RegistrationSandbox } from './registration-helpers.js';

describe('e2e: campaign attribution through sign-in and one-click enrolment', function () {
  this.timeout(60_000);
  let s: RegistrationSandbox;
  before(async () => {
    s = await startRegistrationSandbox({ options: NO_LIMITS });
  });
  after(() => s?.close());

  async function signedIn(label: string) {
    const account = s.t.accounts[label]!;
    const agent = supertest.agent(s.t.sandbox.app);
    await agent.post('/login').type('form').send({ email: account.email, password: account.password }).expect(303);
    return { agent, email: account.email };
  }

  it('keeps the deep link\'s campaign from the sign-in link to the one-click enrolment', async () => {
    const code = (await s.token(s.items.topic.ref, { nickname: 'Campaign' })).code!;
    const page = await supertest(s.t.sandbox.app).get(`/register/${code}?utm_source=newsletter&utm_campaign=spring`).expect(200);
    const signInHref = /href="([^"]*login[^"]*)"/.exec(page.text)?.[1]?.replace(/&amp;/g, '&');
    expect(signInHref, 'the sign-in link').to.be.a('string');
    const returnTo = new URL(signInHref!, 'http://x').searchParams.get('returnTo')!;
    expect(returnTo).to.match(new RegExp(`^/register/${code}/enrol\\?c=[A-Za-z0-9_.-]+$`));

    const { agent, email } = await signedIn('Staff learner');
    const enrolPage = await agent.get(returnTo).expect(200);
    const campaign = /name="campaign" value="([^"]+)"/.exec(enrolPage.text)?.[1];
    expect(campaign).to.be.a('string');
    await agent.post(`/register/${code}/enrol`).type('form').send({ _csrf: csrfIn(enrolPage.text), campaign }).expect(303);
    const user = await s.knex('sandbox_users').where({ email }).first('id');
    const row = await s.knex('selfreg_registrations').where({ user_id: String(user.id) }).orderBy('id', 'desc').first();
    expect(row).to.include({ utm_source: 'newsletter', utm_campaign: 'spring', new_user: false });
  });

  it('a seal made for another code, or forged, records no campaign', async () => {
    const first = (await s.token(s.items.article.ref, { nickname: 'First' })).code!;
    const other = (await s.token(s.items.article.ref, { nickname: 'Other' })).code!;
    const page = await supertest(s.t.sandbox.app).get(`/register/${first}?utm_campaign=winter`).expect(200);
    const sealed = /name="campaign" value="([^"]+)"/.exec(page.text)?.[1]!;
    const { agent, email } = await signedIn('Client learner');
    const enrolPage = await agent.get(`/register/${other}/enrol?c=${sealed}`).expect(200);
    await agent.post(`/register/${other}/enrol`).type('form').send({ _csrf: csrfIn(enrolPage.text), campaign: sealed }).expect(303);
    const user = await s.knex('sandbox_users').where({ email }).first('id');
    const row = await s.knex('selfreg_registrations').where({ user_id: String(user.id) }).orderBy('id', 'desc').first();
    expect(row.utm_campaign ?? null).to.equal(null);
  });
});
