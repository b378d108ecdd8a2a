/*
 * Removing people through the sandbox's People page (/admin/users): its guards (admins only, a
 * confirmation page, the session's form token, not yourself), deleting an account (`user.deleted`)
 * and erasing one's personal data while keeping it (`user.erased`, contract 1.1). The erased person
 * here managed tokens: afterwards no `selfreg_` table names them, what they did stays attributed to
 * "Erased user" (a webhook endpoint they added, and the token.disabled delivery naming them, too),
 * and their API key no longer works.
 */
import { expect } from 'chai';
import supertest from 'supertest';
import { signIn, type Person } from '../support/sign-in.js';
import { csrfOf, startRegistrationSandbox, type RegistrationSandbox } from './registration-helpers.js';
import { createApiKey } from './token-management.fixtures.js';
import { distinctiveUserIds, personalDataHits } from './erasure.helpers.js';
import { TYPES } from '../../src/types.js';
import type { HostUser } from '../../src/domain/shared/user.js';
import type { WebhookWorker } from '../../src/adapters/webhooks/webhook.worker.js';
import type { WebhookUseCases } from '../../src/application/webhooks/webhook-use-cases.js';
import type { SetTokenEnabledUseCase } from '../../src/application/tokens/set-token-enabled.use-case.js';

const A = { firstName: 'Ottoline', lastName: 'Vantbrook', email: 'ottoline.vantbrook@example.test', password: 'a-long-password-1' };
const FORM_TOKEN = /name="_form_token" value="([^"]+)"/;

describe('e2e: the People page, and erasing a person who managed tokens (user.erased)', function () {
  this.timeout(90_000);
  let s: RegistrationSandbox;
  let boss: Person;
  let aId = '';
  let apiKey = '';
  const formToken = async (path: string) => FORM_TOKEN.exec((await boss.agent.get(path).expect(200)).text)![1]!;

  before(async () => {
    s = await startRegistrationSandbox({ options: { rateLimitIp: 'off', rateLimitEmail: 'off', rateLimitToken: 'off', rateLimitUnknownCode: 'off' } });
    await distinctiveUserIds(s.knex, 876_540);
    const host = s.t.sandbox.host;
    const made = await host.users.create({ email: A.email, firstName: A.firstName, lastName: A.lastName, type: 'staff' });
    aId = made.id;
    await s.t.sandbox.admin.updateUser(aId, { role: 'super_admin' });
    await host.credentials.setPassword(aId, A.password);

    // A manages tokens: creates and renames one in the Enrolment panel, makes a batch, an API key,
    // and changes an item's notification settings.
    const a = await signIn(s.t, { email: A.email, password: A.password });
    const { topic, article } = s.items;
    const settings = `/admin/items/topic/${topic.id}/settings`;
    let csrf = csrfOf((await a.agent.get(settings).expect(200)).text);
    await a.agent.post(`/admin/self-registration/items/topic/${topic.id}/tokens`).type('form').send({ _csrf: csrf, returnTo: settings, nickname: 'Open day' }).expect(303);
    const token = await s.knex('selfreg_tokens').where({ created_by: aId }).first();
    await a.agent.post(`/admin/self-registration/tokens/${token.id}`).type('form').send({ _csrf: csrf, returnTo: settings, nickname: 'Open day 2027' }).expect(303);
    await a.agent.post(`/admin/self-registration/items/topic/${topic.id}/tokens/batches`).type('form').send({ _csrf: csrf, returnTo: settings, count: '3', nickname: 'Leaflets' }).expect(303);
    apiKey = await createApiKey(a, 'CRM');
    const articleSettings = `/admin/items/article/${article.id}/settings`;
    csrf = csrfOf((await a.agent.get(articleSettings).expect(200)).text);
    await a.agent.post(`/admin/self-registration/notifications/items/article/${article.id}`).type('form').send({ _csrf: csrf, returnTo: articleSettings, enabled: 'on', mode: 'each', stakeholders: 'team@example.test' }).expect(303);
    await supertest(s.t.sandbox.app).get('/api/self-registration/v1/tokens').set('Authorization', `Bearer ${apiKey}`).expect(200);
    // A adds a webhook endpoint for token events, then switches their token off: the delivery (kept
    // queued: the worker is stopped) says who did it.
    const get = <T>(id: symbol) => s.plugin.container.get<T>(id);
    await get<WebhookWorker>(TYPES.WebhookWorker).stop();
    const aUser = (await host.users.findByEmail(A.email))! as unknown as HostUser;
    expect((await get<WebhookUseCases>(TYPES.WebhookUseCases).create.execute(aUser, { url: 'https://crm.example.test/hooks', description: 'CRM', events: ['token.disabled'] })).ok).to.equal(true);
    expect((await get<SetTokenEnabledUseCase>(TYPES.SetTokenEnabledUseCase).execute(aUser, String(token.id), false)).ok).to.equal(true);
    const before = await personalDataHits(s.knex, { id: aId, email: A.email, names: [A.firstName, A.lastName] });
    for (const where of ['selfreg_tokens.created_by', 'selfreg_tokens.updated_by', 'selfreg_token_batches.created_by_name', 'selfreg_audit_log.actor_name', 'selfreg_api_keys.created_by', 'selfreg_notification_settings.updated_by', 'selfreg_webhook_endpoints.created_by', 'selfreg_webhook_deliveries.payload', 'selfreg_webhook_deliveries.user_id']) {
      expect(before.some((h) => h.startsWith(`${where} `)), `before erasure, ${where} names A`).to.equal(true);
    }
    boss = await signIn(s.t, 'Super admin');
  });
  after(async () => {
    await s?.close();
  });

  it('lists every account to admins, with a way to erase or delete each but yourself; learners get 403', async () => {
    const page = await boss.agent.get('/admin/users').expect(200);
    expect(page.text).to.contain(A.email).and.to.contain(`href="/admin/users/${aId}/erase"`).and.to.contain(`href="/admin/users/${aId}/delete"`);
    expect(page.text).not.to.contain(`href="/admin/users/${boss.id}/delete"`);
    const learner = await signIn(s.t, 'Staff learner');
    await learner.agent.get('/admin/users').expect(403);
    await learner.agent.post(`/admin/users/${aId}/delete`).type('form').send({ _form_token: FORM_TOKEN.exec((await learner.agent.get('/').expect(200)).text)?.[1] ?? '' }).expect(403);
    await supertest(s.t.sandbox.app).get('/admin/users').expect(303);
  });

  it('confirms first, saying what the plugin forgets and what it keeps; a post without the form token changes nothing', async () => {
    const page = await boss.agent.get(`/admin/users/${aId}/erase`).expect(200);
    expect(page.text).to.contain('Erase the personal data of Ottoline Vantbrook?').and.to.contain('Its counts (token uses, report totals) stay.');
    await boss.agent.post(`/admin/users/${aId}/erase`).type('form').send({}).expect(403);
    expect((await s.knex('sandbox_users').where({ id: aId }).first()).email).to.equal(A.email);
    const self = await boss.agent.post(`/admin/users/${boss.id}/delete`).type('form').send({ _form_token: await formToken('/admin/users') }).expect(303);
    expect(self.headers.location).to.equal('/admin/users?done=self');
  });

  it('erasing keeps the account anonymised and suspended, and leaves no selfreg_ table naming the person', async () => {
    const res = await boss.agent.post(`/admin/users/${aId}/erase`).type('form').send({ _form_token: await formToken(`/admin/users/${aId}/erase`) }).expect(303);
    expect(res.headers.location).to.equal('/admin/users?done=erased');
    const row = await s.knex('sandbox_users').where({ id: aId }).first();
    expect({ email: row.email, first: row.first_name, status: row.status, password: row.password_hash }).to.deep.equal({ email: `erased-${aId}@erased.invalid`, first: 'Erased', status: 'suspended', password: null });
    expect(await personalDataHits(s.knex, { id: aId, email: A.email, names: [A.firstName, A.lastName] })).to.deep.equal([]);
  });

  it('keeps what they did, attributed to “Erased user”, and revokes their API key', async () => {
    const activity = await boss.agent.get('/admin/self-registration/tokens/activity').expect(200);
    expect(activity.text).to.contain('Erased user').and.to.contain('Open day 2027');
    expect(await s.knex('selfreg_tokens').where({ nickname: 'Open day 2027' }).first('created_by_name')).to.deep.equal({ created_by_name: 'Erased user' });
    expect((await s.knex('selfreg_api_keys').first('revoked_at')).revoked_at).not.to.equal(null);
    await supertest(s.t.sandbox.app).get('/api/self-registration/v1/tokens').set('Authorization', `Bearer ${apiKey}`).expect(401);
  });

  it('keeps their webhook endpoint without its creator, and still sends the token.disabled event, by “Erased user”', async () => {
    expect(await s.knex('selfreg_webhook_endpoints').select('description', 'created_by')).to.deep.equal([{ description: 'CRM', created_by: null }]);
    const rows = await s.knex('selfreg_webhook_deliveries').select('status', 'user_id', 'payload');
    expect(rows.map((r) => ({ status: r.status, user: r.user_id, by: JSON.parse(r.payload).data.by }))).to.deep.equal([{ status: 'queued', user: null, by: { id: null, name: 'Erased user' } }]);
    expect(JSON.parse(rows[0]!.payload).data.token.nickname).to.equal('Open day 2027');
  });

  it('deleting removes the account and raises user.deleted', async () => {
    const seen: string[] = [];
    const off = s.t.sandbox.events.on('user.deleted', ({ userId }) => void seen.push(userId));
    const res = await boss.agent.post(`/admin/users/${aId}/delete`).type('form').send({ _form_token: await formToken(`/admin/users/${aId}/delete`) }).expect(303);
    off();
    expect(res.headers.location).to.equal('/admin/users?done=deleted');
    expect(await s.knex('sandbox_users').where({ id: aId }).first()).to.equal(undefined);
    expect(seen).to.deep.equal([aId]);
    const page = await boss.agent.get('/admin/users?done=deleted').expect(200);
    expect(page.text).to.contain('The account was deleted.').and.not.to.contain(`erased-${aId}@`);
  });
});
