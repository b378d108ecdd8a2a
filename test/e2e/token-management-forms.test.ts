/*
 * Refused panel forms over HTTP against the sandbox host with the real plugin: bad input field by
 * field (what was typed comes back, nothing is written) and library content, which no path gives a token.
 */
import { expect } from 'chai';
import type { Knex } from 'knex';
import { startTestSandbox, type TestSandbox } from '../sandbox/helpers.js';
import { signIn, type Person } from '../support/sign-in.js';
import { ownTopic } from './token-management.fixtures.js';

const BASE = 'http://learn.acme.test';
const A = '/admin/self-registration';

describe('e2e: token management: refused forms', function () {
  this.timeout(60_000);
  let t: TestSandbox;
  let knex: Knex;
  let admin: Person;
  let topic: { id: string; title: string };
  let settings: string;

  before(async () => {
    t = await startTestSandbox({ plugin: false, env: { PUBLIC_BASE_URL: BASE, TIME_ZONE: 'Australia/Sydney' } });
    knex = t.knex;
    await t.sandbox.loadPlugin({ options: { outboxPollMs: 60_000 } });
    admin = await signIn(t, 'Super admin');
    topic = await ownTopic(t);
    settings = `/admin/items/topic/${topic.id}/settings`;
  });
  after(() => t?.destroy());

  const create = (who: Person, fields: Record<string, string>) =>
    who.agent.post(`${A}/items/topic/${topic.id}/tokens`).type('form').send({ _csrf: who.csrf, returnTo: settings, ...fields });
  const panelOf = async (who: Person, path = settings) => (await who.agent.get(path).expect(200)).text;

  it('refuses bad input field by field, keeps what was typed, writes nothing', async () => {
    const before = await knex('selfreg_tokens').count({ n: '*' }).first();
    const cases: [Record<string, string>, string, string][] = [
      [{ customCode: 'ABC', nickname: 'Keep me' }, 'TOKEN.CODE_TOO_SHORT', 'A custom code needs at least 8 letters or digits.'],
      [{ customCode: 'BAD_CODE_1', nickname: 'Keep me' }, 'TOKEN.CODE_INVALID', 'A custom code may use only the letters A–Z, digits and single hyphens.'],
      [{ expiresOn: '2020-01-01', nickname: 'Keep me' }, 'TOKEN.EXPIRY_IN_PAST', 'That date has already passed. Choose today or a later date.'],
      [{ expiresOn: '2026-02-30', nickname: 'Keep me' }, 'TOKEN.EXPIRY_INVALID', 'Enter the expiry as a real date'],
      [{ maxUses: 'ten', nickname: 'Keep me' }, 'TOKEN.MAX_USES_INVALID', 'Max uses must be a whole number from 1 to 1,000,000'],
      [{ maxUses: '0', nickname: 'Keep me' }, 'TOKEN.MAX_USES_INVALID', 'Max uses must be a whole number'],
      [{ nickname: 'x'.repeat(101) }, 'TOKEN.NICKNAME_INVALID', 'A nickname can have at most 100 characters'],
      [{ nickname: 'y'.repeat(2000) }, 'TOKEN.NICKNAME_INVALID', 'A nickname can have at most 100 characters'],
    ];
    for (const [fields, code, message] of cases) {
      const res = await create(admin, fields);
      expect(res.status, code).to.equal(303);
      expect(res.headers.location, code).to.contain(`selfreg_error=${code}`).and.to.contain('selfreg_form=create').and.to.match(/#selfreg-create$/);
      const html = await panelOf(admin, res.headers.location!);
      expect(html, code).to.contain(message).and.to.contain('There is a problem');
      if (fields.nickname === 'Keep me') expect(html, code).to.contain('value="Keep me"');
    }
    // A field sent twice is not a string: refused as a whole, nothing created without it.
    const twice = await admin.agent.post(`${A}/items/topic/${topic.id}/tokens`).type('form').send(`_csrf=${admin.csrf}&returnTo=${encodeURIComponent(settings)}&nickname=a&nickname=b`);
    expect(twice.headers.location).to.contain('selfreg_error=VALIDATION.FAILED');
    expect((await knex('selfreg_tokens').count({ n: '*' }).first())!.n).to.equal(before!.n);
  });

  it('names every refused field at once, each beside its field, keeping everything typed', async () => {
    const res = await create(admin, { customCode: 'ABC', expiresOn: '2020-01-01', maxUses: '-3', nickname: 'All wrong' });
    const html = await panelOf(admin, res.headers.location!);
    for (const [id, words] of [['selfreg-custom', 'A custom code needs at least 8 letters or digits.'], ['selfreg-expiresOn', 'That date has already passed.'], ['selfreg-maxUses', 'Max uses must be a whole number']]) {
      expect(html, id).to.match(new RegExp(`<li><a href="#${id}">${words.replace(/[.]/g, '\\.')}`));
      expect(html, id).to.contain(`id="${id}-error">${words}`);
    }
    expect(html).to.contain('value="ABC"').and.to.contain('value="2020-01-01"').and.to.contain('value="-3"').and.to.contain('value="All wrong"');
    expect(await knex('selfreg_tokens').where({ nickname: 'All wrong' })).to.have.length(0);
  });

  it('library content: the panel explains that tokens are not available, and no path creates one', async () => {
    const lib = await knex('sandbox_items').where({ origin: 'library' }).first();
    const html = await panelOf(admin, `/admin/items/${lib.type}/${lib.id}/settings`);
    expect(html).to.contain('Tokens are not available for content imported from the library: only for knowledge your organisation created.').and.not.to.contain('Create a token');
    // Said once, not twice in other words.
    expect(html.match(/imported from the library/g)).to.have.length(1);
    const res = await admin.agent.post(`${A}/items/${lib.type}/${lib.id}/tokens`).type('form').send({ _csrf: admin.csrf, returnTo: settings, customCode: 'LIBRARY-123' });
    expect(res.headers.location).to.contain('selfreg_error=KNOWLEDGE.LIBRARY_CONTENT');
    expect(await knex('selfreg_tokens').where({ item_id: String(lib.id) })).to.have.length(0);
    await admin.agent.post(`${A}/items/nonsense/1/tokens`).type('form').send({ _csrf: admin.csrf }).expect(404);
  });

  it('the API key form: a reload of its answer creates no second key, a live name is not taken twice, and both are in the activity log', async () => {
    const portal = await panelOf(admin, '/admin/portal');
    const requestId = /name="requestId" value="([^"]+)"/.exec(portal)?.[1];
    expect(requestId, 'the form carries a one-time id').to.match(/^[A-Za-z0-9-]{16,64}$/);
    const send = (name: string, id = requestId!) => admin.agent.post(`${A}/api-keys`).type('form').send({ _csrf: admin.csrf, name, requestId: id, returnTo: '/admin/portal' });
    expect((await send('Reload test')).status).to.equal(201);
    const reload = await send('Reload test');
    expect(reload.status).to.equal(303);
    expect((await admin.agent.get(reload.headers.location!)).text).to.contain('This form already created its key');
    expect(await knex('selfreg_api_keys').whereRaw('lower(name) = ?', ['reload test']).count({ n: '*' }).first().then((r) => Number(r?.n))).to.equal(1);

    const taken = await send('RELOAD TEST', 'another-form-id-0001');
    expect(taken.status).to.equal(303);
    expect((await admin.agent.get(taken.headers.location!)).text).to.contain('A live key already has that name');
    const activity = (await admin.agent.get(`${A}/tokens/activity`).expect(200)).text;
    expect(activity).to.contain('created the API key').and.to.contain('“Reload test”');
  });

  it('switching the portal off asks first', async () => {
    const portal = await panelOf(admin, '/admin/portal');
    expect(portal).to.match(/<form method="post" action="[^"]*\/portal\/switch" class="selfreg-inline" data-confirm="Switch self-registration off for the whole portal\?/);
  });
});
