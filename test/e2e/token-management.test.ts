/*
 * Every panel action over HTTP against the sandbox host with the real plugin: create (expiry, max
 * uses, custom codes), edit, deactivate/reactivate, delete through the confirmation page, QR codes,
 * the portal switch, the Tokens and Activity pages, and what registrants are told in each state
 * (refused forms: token-management-forms.test.ts).
 */
import { expect } from 'chai';
import supertest from 'supertest';
import type { Knex } from 'knex';
import { startTestSandbox, type TestSandbox } from '../sandbox/helpers.js';
import { csrfIn } from '../support/csrf.js';
import { signIn, type Person } from '../support/sign-in.js';
import { ownTopic, useCases } from './token-management.fixtures.js';

const BASE = 'http://learn.acme.test';
const A = '/admin/self-registration';

describe('e2e: token management in the panels and pages', function () {
  this.timeout(60_000);
  let t: TestSandbox;
  let knex: Knex;
  let admin: Person;
  let editor: Person;
  let topic: { id: string; title: string };
  let settings: string;

  before(async () => {
    t = await startTestSandbox({ plugin: false, env: { PUBLIC_BASE_URL: BASE, TIME_ZONE: 'Australia/Sydney' } });
    knex = t.knex;
    await t.sandbox.loadPlugin({ options: { outboxPollMs: 60_000 } });
    admin = await signIn(t, 'Super admin');
    editor = await signIn(t, 'Standard admin');
    topic = await ownTopic(t);
    settings = `/admin/items/topic/${topic.id}/settings`;
  });
  after(async () => {
    t?.sandbox.clock.set(null);
    await t?.destroy();
  });

  const create = (who: Person, fields: Record<string, string>) =>
    who.agent.post(`${A}/items/topic/${topic.id}/tokens`).type('form').send({ _csrf: who.csrf, returnTo: settings, ...fields });
  const tokenRow = (nickname: string) => knex('selfreg_tokens').where({ nickname }).first();
  const register = (code: string, email: string) =>
    supertest(t.sandbox.app).post('/register').type('form').send({ firstName: 'Pat', lastName: 'Doe', email, token: code });
  const panelOf = async (who: Person, path = settings) => (await who.agent.get(path).expect(200)).text;

  it('creates a token with an expiry date (end of that day in Sydney) and max uses, and lists it', async () => {
    const year = new Date().getUTCFullYear() + 1;
    const res = await create(editor, { nickname: 'Spring fair', expiresOn: `${year}-06-30`, maxUses: '2' });
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.match(new RegExp(`^${settings}\\?selfreg=created&selfreg_token=\\d+#self-registration$`));
    const row = await tokenRow('Spring fair');
    expect(new Date(row.expires_at).toISOString()).to.equal(`${year}-06-30T14:00:00.000Z`); // midnight AEST (+10)
    expect(row).to.include({ max_uses: 2, uses: 0, enabled: true, created_by: editor.id, created_by_name: 'Erin Editor' });
    const html = await panelOf(editor, res.headers.location!);
    expect(html).to.contain('Token created.').and.to.contain('Spring fair').and.to.contain(`End of 30 Jun ${year}`).and.to.contain('0 of 2');
    expect(html).to.contain('by Erin Editor');
    expect(html).to.contain('Erin Editor</strong> created <span class="selfreg-audit-subject">“Spring fair”</span>');
  });

  it('a taken custom code is refused, in any spelling, never echoed into the redirect, and kept in the form to correct', async () => {
    expect((await create(admin, { customCode: 'open-day-2026', nickname: 'Open day' })).status).to.equal(303);
    const res = await create(admin, { customCode: 'OPEN DAY 2O26', nickname: 'Second' });
    // What was typed is kept in the form-draft store (this session's only), not in the URL: both come back.
    expect(res.headers.location).to.contain('selfreg_error=TOKEN.CODE_TAKEN').and.to.match(/selfreg_draft=[A-Za-z0-9_-]{24}/).and.not.to.contain('Second');
    expect(res.headers.location!.toUpperCase()).not.to.contain('OPEN');
    const panel = await panelOf(admin, res.headers.location!);
    expect(panel).to.contain('That code is already in use. Choose another.').and.to.contain('value="Second"');
    expect(panel).to.contain('value="OPEN DAY 2O26"');
    expect(await knex('selfreg_tokens').where({ nickname: 'Second' })).to.have.length(0);
  });

  it('edits nickname, expiry and max uses; the shown expiry is kept as it was; each change is audited', async () => {
    const row = await tokenRow('Open day');
    const html = await panelOf(admin);
    expect(html).to.contain(`id="selfreg-nickname-${row.id}"`);
    const res = await admin.agent.post(`${A}/tokens/${row.id}`).type('form')
      .send({ _csrf: admin.csrf, returnTo: settings, nickname: 'Open day <b>2026</b>', expiresOn: '', maxUses: '1,000' });
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal(`${settings}?selfreg=updated&selfreg_token=${row.id}#selfreg-token-${row.id}`);
    const after = await knex('selfreg_tokens').where({ id: row.id }).first();
    expect(after).to.include({ nickname: 'Open day <b>2026</b>', max_uses: 1000, expires_at: null, updated_by: admin.id });
    const page = await panelOf(admin, res.headers.location!);
    expect(page).to.contain('Changes saved.').and.to.contain('Open day &lt;b&gt;2026&lt;/b&gt;').and.not.to.contain('<b>2026</b>');
    expect(page).to.contain('renamed a token').and.to.contain('changed max uses of');
    const audit = await knex('selfreg_audit_log').where({ token_id: row.id }).orderBy('id').select('action', 'actor_name', 'via');
    expect(audit.map((a: { action: string }) => a.action)).to.deep.equal(['token.created', 'token.renamed', 'token.max_uses_changed']);
    expect(audit.every((a: { actor_name: string; via: string }) => a.actor_name === 'Alex Admin' && a.via === 'panel')).to.equal(true);

    // The edit form sends back what it showed: nothing changes, nothing is logged.
    const same = await admin.agent.post(`${A}/tokens/${row.id}`).type('form')
      .send({ _csrf: admin.csrf, returnTo: settings, nickname: 'Open day <b>2026</b>', expiresOn: '', maxUses: '1000' });
    expect(same.status).to.equal(303);
    expect(await knex('selfreg_audit_log').where({ token_id: row.id })).to.have.length(3);
  });

  it('an edit refused keeps the form open with the message and the values typed', async () => {
    const row = await tokenRow('Spring fair');
    await knex('selfreg_tokens').where({ id: row.id }).update({ uses: 1 }); // as if one person had registered
    const res = await admin.agent.post(`${A}/tokens/${row.id}`).type('form').send({ _csrf: admin.csrf, returnTo: settings, nickname: 'Renamed?', maxUses: '0' });
    expect(res.headers.location).to.contain('selfreg_error=TOKEN.MAX_USES_INVALID').and.to.contain(`selfreg_form=edit-${row.id}`);
    const html = await panelOf(admin, res.headers.location!);
    expect(html).to.match(/<details class="selfreg-edit" open>/).and.to.contain('value="Renamed?"');
    const below = await admin.agent.post(`${A}/tokens/${row.id}`).type('form').send({ _csrf: admin.csrf, returnTo: settings, maxUses: '1' });
    expect(below.headers.location).not.to.contain('selfreg_error');
    const refused = await admin.agent.post(`${A}/tokens/${row.id}`).type('form').send({ _csrf: admin.csrf, returnTo: settings, maxUses: '0' });
    expect(refused.headers.location).to.contain('TOKEN.MAX_USES_INVALID');
    expect((await tokenRow('Spring fair')).max_uses).to.equal(1);
    await knex('selfreg_tokens').where({ id: row.id }).update({ uses: 0, max_uses: 2 });
  });

  it('deactivate and reactivate: registrants are told the token is currently disabled, then it works again', async () => {
    const row = await tokenRow('Spring fair');
    const code = (await useCases(t).getToken.execute(await t.sandbox.host.users.findById(admin.id), row.id));
    const display = code.ok ? code.value.code! : '';
    const off = await editor.agent.post(`${A}/tokens/${row.id}/disable`).type('form').send({ _csrf: editor.csrf, returnTo: settings });
    expect(off.headers.location).to.equal(`${settings}?selfreg=disabled&selfreg_token=${row.id}#selfreg-token-${row.id}`);
    const panel = await panelOf(editor, off.headers.location!);
    expect(panel).to.contain('Token deactivated.').and.to.contain('selfreg-status-disabled').and.to.contain('>Reactivate<');
    expect((await supertest(t.sandbox.app).get(`/register/${display}`)).text).to.contain('This token is currently disabled');
    expect((await register(display, 'disabled@example.com')).text).to.contain('This token is currently disabled');
    expect(await knex('sandbox_users').where({ email: 'disabled@example.com' })).to.have.length(0);

    await editor.agent.post(`${A}/tokens/${row.id}/enable`).type('form').send({ _csrf: editor.csrf, returnTo: settings }).expect(303);
    expect((await register(display, 'enabled@example.com')).text).to.contain('Check your inbox');
    expect((await tokenRow('Spring fair')).uses).to.equal(1);
  });

  it('used up and expired tokens say so on the panel and to registrants', async () => {
    const row = await tokenRow('Spring fair'); // max 2, used once
    const got = await useCases(t).getToken.execute(await t.sandbox.host.users.findById(admin.id), row.id);
    const code = got.ok ? got.value.code! : '';
    expect((await register(code, 'second@example.com')).text).to.contain('Check your inbox');
    expect((await register(code, 'third@example.com')).text).to.contain('This token has reached its limit of registrations');
    expect(await panelOf(admin)).to.contain('selfreg-status-used_up').and.to.contain('2 of 2');

    await knex('selfreg_tokens').where({ id: row.id }).update({ max_uses: null });
    t.sandbox.clock.set(new Date(new Date(row.expires_at).getTime() + 1000));
    try {
      expect((await register(code, 'late@example.com')).text).to.contain('This token has expired');
      expect(await panelOf(admin)).to.contain('selfreg-status-expired');
    } finally {
      t.sandbox.clock.set(null);
    }
  });

  it('QR codes of the deep link: PNG and SVG attachments', async () => {
    const row = await tokenRow('Spring fair');
    const png = await admin.agent.get(`${A}/tokens/${row.id}/qr.png`).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
    expect(png.status).to.equal(200);
    expect(png.headers['content-type']).to.equal('image/png');
    expect(png.headers['content-disposition']).to.match(/^attachment; filename="?token-spring-fair-qr\.png"?$/);
    const body = png.body as Buffer;
    expect(body.subarray(0, 8).toString('hex')).to.equal('89504e470d0a1a0a');
    expect(body.readUInt32BE(16)).to.equal(1024); // IHDR width
    const svg = await admin.agent.get(`${A}/tokens/${row.id}/qr.svg`);
    expect(svg.status).to.equal(200);
    expect(svg.headers['content-type']).to.match(/^image\/svg\+xml/);
    expect(svg.headers['content-disposition']).to.match(/^attachment; filename="?token-spring-fair-qr\.svg"?$/);
    expect(String(svg.body ?? svg.text)).to.match(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    await admin.agent.get(`${A}/tokens/999999/qr.png`).expect(404);
  });

  it('deletes after a confirmation page; the code is destroyed, registrations keep the nickname, the audit log keeps its history', async () => {
    const row = await tokenRow('Spring fair');
    const got = await useCases(t).getToken.execute(await t.sandbox.host.users.findById(admin.id), row.id);
    const code = got.ok ? got.value.code! : '';
    const confirm = await admin.agent.get(`${A}/tokens/${row.id}/delete?returnTo=${encodeURIComponent(settings)}`).expect(200);
    expect(confirm.text).to.contain('This cannot be undone.').and.to.contain('Spring fair').and.to.contain(topic.title);
    expect(confirm.text).to.contain('If you later create a token with the same custom code, that new token accepts it');
    expect(confirm.text).to.match(/Registrations kept<\/dt><dd>2</);
    const res = await admin.agent.post(`${A}/tokens/${row.id}/delete`).type('form').send({ _csrf: csrfIn(confirm.text), returnTo: settings });
    expect(res.headers.location).to.equal(`${settings}?selfreg=deleted#self-registration`);
    expect(await panelOf(admin, res.headers.location!)).to.contain('Token deleted.').and.not.to.contain(code);
    expect(await knex('selfreg_tokens').where({ id: row.id })).to.have.length(0);
    const regs = await knex('selfreg_registrations').where({ token_nickname: 'Spring fair' });
    expect(regs).to.have.length(2);
    expect(regs.every((r: { token_id: unknown }) => r.token_id === null)).to.equal(true);
    const audit = await knex('selfreg_audit_log').where({ token_id: row.id }).orderBy('id', 'desc').first();
    expect(audit).to.include({ action: 'token.deleted', token_nickname: 'Spring fair', item_id: topic.id });
    expect(JSON.stringify(await knex('selfreg_audit_log').select('*'))).not.to.contain(code).and.not.to.contain(code.replace(/-/g, ''));
    expect((await supertest(t.sandbox.app).get(`/register/${code}`)).text).to.contain('We don’t recognise that token');
    // What the confirmation page says is true: the same code, made again as a custom code, works again.
    const remade = await admin.agent.post(`${A}/items/topic/${topic.id}/tokens`).type('form').send({ _csrf: admin.csrf, returnTo: settings, customCode: code, nickname: 'Spring fair again' });
    expect(remade.headers.location).to.contain('selfreg=created');
    expect((await supertest(t.sandbox.app).get(`/register/${code}`)).text).not.to.contain('We don’t recognise that token');
    const remadeRow = await tokenRow('Spring fair again');
    await admin.agent.post(`${A}/tokens/${remadeRow.id}/delete`).type('form').send({ _csrf: admin.csrf, returnTo: settings });
    // Deleting again: the token no longer exists.
    const again = await admin.agent.post(`${A}/tokens/${row.id}/delete`).type('form').send({ _csrf: admin.csrf, returnTo: settings });
    expect(again.headers.location).to.contain('selfreg_error=TOKEN.NOT_FOUND');
    await admin.agent.get(`${A}/tokens/${row.id}/delete`).expect(404);
  });

  it('the portal switch: off makes every token unusable and the panel says so with a link; tokens are kept', async () => {
    const row = await tokenRow('Open day <b>2026</b>');
    const portal = await admin.agent.get('/admin/portal').expect(200);
    expect(portal.text).to.contain('Switch self-registration off');
    const off = await admin.agent.post(`${A}/portal/switch`).type('form').send({ _csrf: admin.csrf, returnTo: '/admin/portal', enabled: 'off' });
    expect(off.headers.location).to.equal('/admin/portal?selfreg=switchedOff#self-registration-portal');
    expect((await admin.agent.get(off.headers.location!)).text).to.contain('Self-registration is now off').and.to.contain('Switch self-registration on');
    expect((await register('OPEN-DAY-2026', 'off@example.com')).text).to.contain('Registration is not available at the moment.');
    const panel = await panelOf(editor);
    expect(panel).to.contain('Self-registration is switched off for this portal').and.to.contain('href="/admin/portal"');
    expect(await knex('selfreg_tokens').where({ id: row.id })).to.have.length(1);
    expect((await knex('selfreg_audit_log').where({ action: 'portal.disabled' }).first()).actor_name).to.equal('Alex Admin');
    // A Standard admin sees the state but no switch and no API keys.
    const asEditor = (await editor.agent.get('/admin/portal')).text;
    expect(asEditor).to.contain('Only Super admins can switch self-registration on or off.').and.not.to.contain('Switch self-registration on').and.not.to.contain('API keys');
    // The Tokens page shows the state too, with the switch for Super admins (for hosts without a portal settings page link).
    expect((await admin.agent.get(`${A}/tokens`)).text).to.contain('Switch self-registration on').and.to.contain(`action="${A}/portal/switch"`);
    expect((await editor.agent.get(`${A}/tokens`)).text).to.contain('Self-registration is off').and.not.to.contain(`action="${A}/portal/switch"`);
    await admin.agent.post(`${A}/portal/switch`).type('form').send({ _csrf: admin.csrf, returnTo: '/admin/portal', enabled: 'on' }).expect(303);
    expect((await register('OPEN-DAY-2026', 'on@example.com')).text).to.contain('Check your inbox');
    const bad = await admin.agent.post(`${A}/portal/switch`).type('form').send({ _csrf: admin.csrf, returnTo: '/admin/portal', enabled: 'maybe' });
    expect(bad.headers.location).to.contain('selfreg_error=VALIDATION.FAILED');
  });

  describe('the Tokens and Activity pages', () => {
    before(async () => {
      const actor = await t.sandbox.host.users.findById(admin.id);
      const article = await knex('sandbox_items').where({ type: 'article', origin: 'own' }).first();
      for (let i = 1; i <= 55; i++) {
        const r = await useCases(t).createToken.execute(actor, i % 5 === 0 ? { type: 'article', id: String(article.id) } : { type: 'topic', id: topic.id }, { nickname: `Batch ${String(i).padStart(2, '0')}` });
        if (!r.ok) throw new Error(r.error.code);
      }
    });

    const rows = (html: string) => [...html.matchAll(/<tr data-token-id="(\d+)">/g)].map((m) => m[1]);

    it('lists every token, newest first, 50 to a page, with the total and a next page', async () => {
      const page = await admin.agent.get(`${A}/tokens`).expect(200);
      expect(page.headers['cache-control']).to.equal('no-store');
      expect(page.text).to.contain('56 tokens');
      expect(rows(page.text)).to.have.length(50);
      expect(page.text.indexOf('Batch 55')).to.be.lessThan(page.text.indexOf('Batch 54'));
      const next = /href="([^"]+)">Next page/.exec(page.text)![1]!.replace(/&amp;/g, '&');
      const second = await admin.agent.get(next).expect(200);
      expect(rows(second.text)).to.have.length(6);
      expect(second.text).to.contain('Open day &lt;b&gt;2026&lt;/b&gt;').and.to.contain('First page').and.not.to.contain('Next page');
    });

    it('searches nickname, whole code (any spelling) and item title; filters by status and item type', async () => {
      expect(rows((await admin.agent.get(`${A}/tokens?q=batch%2007`)).text)).to.have.length(1);
      expect((await admin.agent.get(`${A}/tokens?q=open%20day%202o26`)).text).to.contain('1 token').and.to.contain('Open day');
      const article = await knex('sandbox_items').where({ type: 'article', origin: 'own' }).first();
      expect((await admin.agent.get(`${A}/tokens?q=${encodeURIComponent(article.title.slice(0, 8))}`)).text).to.contain('11 tokens');
      expect((await admin.agent.get(`${A}/tokens?type=article`)).text).to.contain('11 tokens');
      const row = await tokenRow('Batch 03');
      await admin.agent.post(`${A}/tokens/${row.id}/disable`).type('form').send({ _csrf: admin.csrf, returnTo: `${A}/tokens` }).expect(303);
      const disabled = await admin.agent.get(`${A}/tokens?status=disabled`);
      expect(rows(disabled.text)).to.deep.equal([String(row.id)]);
      expect((await admin.agent.get(`${A}/tokens?status=bogus&type=nope&before=x`)).text).to.contain('56 tokens');
    });

    it('links each token to its item’s panel, and filters by item', async () => {
      const page = await admin.agent.get(`${A}/tokens?item=topic:${topic.id}`).expect(200);
      expect(page.text).to.contain(`Tokens of Topic <strong>${topic.title}</strong>`).and.to.contain('45 tokens');
      expect(page.text).to.contain(`href="${settings}#self-registration"`);
    });

    it('the Activity page lists every event with who and when, newest first, filtered by item, with pages', async () => {
      const all = await admin.agent.get(`${A}/tokens/activity`).expect(200);
      expect(all.text).to.contain('Alex Admin</strong> deactivated <span class="selfreg-audit-subject">“Batch 03”</span>');
      expect((all.text.match(/<li class="selfreg-audit-/g) ?? []).length).to.equal(50);
      const next = /href="([^"]+)">Next page/.exec(all.text)![1]!.replace(/&amp;/g, '&');
      const older = await admin.agent.get(next).expect(200);
      expect(older.text).to.contain('switched self-registration off for the portal').and.to.contain('First page');
      const forItem = await admin.agent.get(`${A}/tokens/activity?item=topic:${topic.id}`).expect(200);
      expect(forItem.text).to.contain(topic.title).and.not.to.contain('switched self-registration');
      // The item panel shows the latest five with a link here.
      const panel = await panelOf(admin);
      expect((panel.match(/<li class="selfreg-audit-token">/g) ?? []).length).to.equal(5);
      expect(panel).to.contain(`href="${A}/tokens/activity?item=topic%3A${topic.id}"`);
    });
  });
});
