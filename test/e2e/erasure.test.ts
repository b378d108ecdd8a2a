/*
 * The host deletes a person who registered (sandbox admin → `user.deleted`): afterwards no column of
 * any `selfreg_` table holds their email, names or user id — pending digest entries, queued, failed
 * and sent mail, emailed links, registrations (consent and campaign included), abuse counters, a
 * half-typed form, notification recipients, webhook deliveries about them (queued ones cancelled,
 * the log of delivered and failed ones kept without them), a manual removal the enrolment rules remember — while every count stays as it was and
 * other people's data is untouched. The erasure is one transaction: a holder that fails leaves everything as it was.
 */
import { expect } from 'chai';
import supertest from 'supertest';
import { TYPES } from '../../src/types.js';
import type { Token } from '../../src/domain/tokens/token.js';
import type { OutboxPort } from '../../src/domain/ports/outbox.port.js';
import type { OutboxWorker } from '../../src/adapters/mail/outbox.worker.js';
import type { SettingsRepository } from '../../src/domain/ports/settings-repository.port.js';
import type { NotificationSettingsRepository } from '../../src/domain/ports/notification-settings-repository.port.js';
import type { PersonalDataHolder } from '../../src/domain/ports/personal-data.port.js';
import type { UnitOfWork } from '../../src/domain/ports/unit-of-work.port.js';
import type { LoggerPort } from '../../src/domain/ports/logger.port.js';
import type { AuditRepository } from '../../src/domain/ports/audit-repository.port.js';
import type { ClockPort } from '../../src/domain/ports/clock.port.js';
import type { CatchUpUsageUseCase } from '../../src/application/reports/catch-up-usage.use-case.js';
import type { HostUser } from '../../src/domain/shared/user.js';
import type { WebhookWorker } from '../../src/adapters/webhooks/webhook.worker.js';
import type { WebhookUseCases } from '../../src/application/webhooks/webhook-use-cases.js';
import { webhookSecrets, type WebhookSecretBox } from '../../src/adapters/crypto/crypto.adapters.js';
import { ErasePersonUseCase } from '../../src/application/privacy/erase-person.use-case.js';
import { signIn, type Person } from '../support/sign-in.js';
import { csrfOf, count, startRegistrationSandbox, usesOf, type RegistrationSandbox } from './registration-helpers.js';
import { distinctiveUserIds, personalDataHits, type ScannedPerson } from './erasure.helpers.js';
import { createApiKey } from './token-management.fixtures.js';

const P = { firstName: 'Quillonia', lastName: 'Marrowbright', email: 'quillonia.marrowbright@example.test' };
const Q = { firstName: 'Keeperton', lastName: 'Staysworth', email: 'keeperton.staysworth@example.test' };
const TERMS = 'https://example.com/terms';

describe('e2e: erasing a person who registered (user.deleted)', function () {
  this.timeout(90_000);
  let s: RegistrationSandbox;
  let topicToken: Token;
  let articleToken: Token;
  let pId = '';
  let qId = '';
  let livePath = '';
  let admin: Person;
  let countsBefore: unknown;
  let endpointId = '';
  let hooksBefore: Record<string, unknown>[] = [];
  const get = <T>(id: symbol) => s.plugin.container.get<T>(id);
  const register = (who: typeof P, token: Token) => supertest(s.t.sandbox.app).post('/register').type('form').send({ ...who, token: token.code!, consent: 'yes' }).expect(200);
  const outbox = () => s.knex('selfreg_outbox').orderBy('id');
  const superAdmin = async () => (await s.t.sandbox.host.users.findByEmail(s.t.accounts['Super admin']!.email))! as unknown as HostUser;
  const hooks = () => s.knex('selfreg_webhook_deliveries').orderBy('id');
  const dataOf = (row: { data: unknown }) => (typeof row.data === 'string' ? JSON.parse(row.data) : row.data) as Record<string, any>;
  const counts = async () => {
    await get<CatchUpUsageUseCase>(TYPES.CatchUpUsageUseCase).execute();
    const sums = (table: string) => s.knex(table).select(s.knex.raw('coalesce(sum(registrations), 0)::int as r, coalesce(sum(new_accounts), 0)::int as n, coalesce(sum(existing_accounts), 0)::int as e, coalesce(sum(activated), 0)::int as a')).first();
    return {
      topicUses: await usesOf(s.knex, topicToken.id), articleUses: await usesOf(s.knex, articleToken.id),
      registrations: await s.knex('selfreg_registrations').orderBy('id').select('token_id', 'item_type', 'item_id', 'new_user', 'created_at', 'activated_at', 'utm_source', 'utm_campaign'),
      byItem: await sums('selfreg_usage_by_item'), byCampaign: await sums('selfreg_usage_by_campaign'),
    };
  };

  before(async () => {
    s = await startRegistrationSandbox({ options: { rateLimitIp: 'off', rateLimitToken: 'off', rateLimitUnknownCode: 'off', rateLimitEmail: '50/1h' } });
    // Mail stays in the outbox where the test can shape it: queued, failed, sent.
    await get<OutboxWorker>(TYPES.OutboxWorker).stop();
    // So do webhook deliveries, for an endpoint subscribed to the registration events from the start.
    await get<WebhookWorker>(TYPES.WebhookWorker).stop();
    const box = get<WebhookSecretBox>(TYPES.WebhookSecretBox);
    const [endpoint] = await s.knex('selfreg_webhook_endpoints')
      .insert({ url: 'https://crm.example.test/hooks', events: ['registration.created', 'registration.activated'], secret: box.encrypt(webhookSecrets.generate()) }).returning('id');
    endpointId = String((endpoint as { id: unknown }).id);
    const settings = get<SettingsRepository>(TYPES.SettingsRepository);
    await settings.setBranding({ ...(await settings.branding()), termsUrl: TERMS });
    s.changed();
    const { topic, article } = s.items;
    topicToken = await s.token(topic.ref, { nickname: 'Spring fair' });
    articleToken = await s.token(article.ref, { nickname: 'Newsletter', maxUses: 10 });
    const notify = get<NotificationSettingsRepository>(TYPES.NotificationSettingsRepository);
    await notify.save(topic.ref, { enabled: true, mode: 'digest', stakeholders: [P.email, 'keep@example.test'] }, 'admin-1');
    await notify.save(article.ref, { enabled: true, mode: 'each', stakeholders: [] }, 'admin-1');
    await distinctiveUserIds(s.knex, 987_650);

    // P: a new person on the topic (invitation, accepted; a digest entry), then, as a known account,
    // a sign-in link for the article, used (enrolled: an admin notification about P), and another one.
    await supertest(s.t.sandbox.app).get(`/register/${topicToken.code}?utm_source=mail&utm_campaign=spring&utm_content=${P.email}`).expect(200);
    await register(P, topicToken);
    pId = String((await s.knex('sandbox_users').where({ email: P.email }).first()).id);
    const latestLink = async (template: string) => {
      const rows = (await outbox()).filter((m) => m.template === template && m.recipient === P.email);
      return new URL(String(dataOf(rows[rows.length - 1]!).link)).pathname;
    };
    const visitor = supertest.agent(s.t.sandbox.app);
    await visitor.post(await latestLink('invitation')).type('form').send({ password: 'a-long-password-1', passwordConfirm: 'a-long-password-1' }).expect(303);
    await register(P, articleToken);
    const signInPath = await latestLink('sign-in-link');
    await visitor.get(signInPath).expect(200);
    await visitor.post(signInPath).expect(303);
    await register(P, articleToken);
    livePath = await latestLink('sign-in-link');
    expect(livePath).not.to.equal(signInPath);
    await register(Q, topicToken);
    qId = String((await s.knex('sandbox_users').where({ email: Q.email }).first()).id);

    // The invitation to P failed for good, the first sign-in link was sent, the second waits, and a digest about P and Q is queued.
    await s.knex('selfreg_outbox').where({ template: 'invitation', recipient: P.email }).update({ status: 'failed', failed_at: new Date(), last_error: `550 <${P.email}> unknown user` });
    const firstSignIn = await s.knex('selfreg_outbox').where({ template: 'sign-in-link', recipient: P.email }).orderBy('id').first('id');
    await s.knex('selfreg_outbox').where({ id: firstSignIn.id }).update({ status: 'sent', sent_at: new Date(), data: '{}' });
    const entry = (who: typeof P) => ({ firstName: who.firstName, lastName: who.lastName, email: who.email, newUser: true, tokenNickname: 'Spring fair', at: new Date().toISOString() });
    await s.knex.transaction((tx) => get<OutboxPort>(TYPES.Outbox).enqueue({ to: 'owner@example.test', template: 'admin-digest', data: { itemTitle: topic.title, itemType: 'topic', day: '2026-12-01', timeZone: 'UTC', part: 1, entries: [entry(P), entry(Q)], reportUrl: null, reportKind: 'item' } }, tx));

    // Of the deliveries about P, the first was delivered, the second failed for good, the third waits
    // for a retry (the receiver asked for one), any others are queued; Q's is queued.
    const aboutP = await s.knex('selfreg_webhook_deliveries').where({ user_id: pId }).orderBy('id').select('id');
    expect(aboutP.length).to.be.greaterThanOrEqual(3);
    await s.knex('selfreg_webhook_deliveries').where({ id: aboutP[0]!.id }).update({ status: 'delivered', attempts: 1, last_status_code: 204, last_attempt_at: new Date(), delivered_at: new Date() });
    await s.knex('selfreg_webhook_deliveries').where({ id: aboutP[1]!.id }).update({ status: 'failed', attempts: 9, last_status_code: 500, last_error: 'HTTP 500', last_attempt_at: new Date(), failed_at: new Date() });
    await s.knex('selfreg_webhook_deliveries').where({ id: aboutP[2]!.id }).update({ attempts: 1, last_status_code: 503, last_error: 'HTTP 503', next_attempt_at: new Date(Date.now() + 3_600_000) });
    expect(await count(s.knex, 'selfreg_webhook_deliveries', { user_id: qId })).to.equal(1);
    hooksBefore = await hooks();

    // An admin removed P from the article by hand: the rules remember it, under P's id.
    expect(await s.t.sandbox.admin.removeEnrolment(pId, article.ref)).to.equal(true);
    expect(await count(s.knex, 'selfreg_rule_suppressions', { user_id: pId })).to.equal(1);

    // An admin's refused Notifications form, typed with P's address, waits as a draft.
    admin = await signIn(s.t, 'Super admin');
    const settingsPage = `/admin/items/topic/${topic.id}/settings`;
    const page = await admin.agent.get(settingsPage).expect(200);
    await admin.agent.post(`/admin/self-registration/notifications/items/topic/${topic.id}`).type('form')
      .send({ _csrf: csrfOf(page.text), returnTo: settingsPage, enabled: 'on', mode: 'digest', stakeholders: `${P.email}\nnot-an-address@` }).expect(303);

    // Everything that will be erased is there now.
    const person: ScannedPerson = { id: pId, email: P.email, names: [P.firstName, P.lastName] };
    const hits = await personalDataHits(s.knex, person);
    for (const where of ['selfreg_registrations.user_email', 'selfreg_registrations.user_id', 'selfreg_digest_entries.email', 'selfreg_email_links.user_id', 'selfreg_outbox.recipient', 'selfreg_outbox.data', 'selfreg_outbox.last_error', 'selfreg_form_drafts.payload', 'selfreg_notification_settings.stakeholders', 'selfreg_webhook_deliveries.payload', 'selfreg_webhook_deliveries.user_id', 'selfreg_rule_suppressions.user_id']) {
      expect(hits.some((h) => h.startsWith(`${where} `)), `before erasure, ${where} names the person`).to.equal(true);
    }
    expect(await count(s.knex, 'selfreg_rate_limits')).to.be.greaterThan(0);
    expect((await s.knex('selfreg_registrations').where({ user_id: pId }).first()).consent_terms_url).to.equal(TERMS);
    countsBefore = await counts();

    expect(await s.t.sandbox.admin.deleteUser(pId)).to.equal(true);
  });
  after(async () => {
    await s?.close();
  });

  it('leaves no column of any selfreg_ table holding the person’s email, names or id', async () => {
    expect(await personalDataHits(s.knex, { id: pId, email: P.email, names: [P.firstName, P.lastName] })).to.deep.equal([]);
  });

  it('keeps every count: token uses, registrations and their funnel, the usage totals', async () => {
    expect(await counts()).to.deep.equal(countsBefore);
  });

  it('keeps the other person whole: their registration, digest entry and line of the queued digest', async () => {
    const held = (await personalDataHits(s.knex, { id: qId, email: Q.email, names: [Q.firstName, Q.lastName] })).map((h) => h.replace(/ \(.*/, ''));
    expect(held).to.include.members(['selfreg_registrations.user_id', 'selfreg_registrations.user_email', 'selfreg_digest_entries.email', 'selfreg_email_links.user_id', 'selfreg_outbox.recipient', 'selfreg_outbox.data', 'selfreg_webhook_deliveries.payload', 'selfreg_webhook_deliveries.user_id']);
    const digest = (await outbox()).find((m) => m.template === 'admin-digest')!;
    expect(dataOf(digest).entries.map((e: { email: string }) => e.email)).to.deep.equal([Q.email]);
  });

  it('cancels unsent mail to or about them, keeps sent mail counted without its recipient', async () => {
    const rows = await outbox();
    expect(rows.filter((m) => m.template === 'admin-notification')).to.deep.equal([]);
    expect(rows.filter((m) => m.status !== 'sent' && m.template !== 'admin-digest').map((m) => m.recipient)).to.deep.equal([Q.email]);
    expect(rows.filter((m) => m.status === 'sent').map((m) => m.recipient)).to.deep.equal(['(erased)']);
  });

  it('cancels webhook deliveries about them not sent yet, keeps the log of delivered and failed ones without them', async () => {
    const rows = await hooks();
    const log = (r: Record<string, unknown>) => ({ id: r.id, status: r.status, attempts: r.attempts, code: r.last_status_code, at: r.last_attempt_at, event: r.event_type, endpoint: String(r.endpoint_id) });
    const sentAboutP = hooksBefore.filter((r) => r.user_id === pId && (r.status === 'delivered' || r.status === 'failed'));
    const others = hooksBefore.filter((r) => r.user_id !== pId);
    expect(rows.map((r) => r.id)).to.deep.equal([...sentAboutP, ...others].map((r) => r.id).sort((a, b) => Number(a) - Number(b)));
    expect(rows.filter((r) => r.user_id !== qId).map(log)).to.deep.equal(sentAboutP.map(log));
    for (const r of rows.filter((x) => x.user_id !== qId)) {
      const body = JSON.parse(String(r.payload));
      expect(r.user_id).to.equal(null);
      expect(body.type).to.be.oneOf(['registration.created', 'registration.activated']);
      expect(body.erased).to.equal(true);
      expect(body.data.person).to.equal(null);
      expect(body.data.item).to.deep.equal({ type: 'topic', id: s.items.topic.id, title: s.items.topic.title });
    }
    expect(rows.filter((r) => r.user_id === qId)).to.deep.equal(others);
    // Nothing about them can be sent again.
    const replay = await get<WebhookUseCases>(TYPES.WebhookUseCases).replay.execute(await superAdmin(), endpointId, String(sentAboutP[0]!.id));
    expect(replay.ok).to.equal(false);
  });

  it('takes their address out of the item’s notification recipients, and no link of theirs works', async () => {
    expect((await get<NotificationSettingsRepository>(TYPES.NotificationSettingsRepository).get(s.items.topic.ref)).stakeholders).to.deep.equal(['keep@example.test']);
    const res = await supertest(s.t.sandbox.app).get(livePath);
    expect(res.text).to.contain('This link is not valid');
    expect(await count(s.knex, 'selfreg_email_links', { user_id: pId })).to.equal(0);
  });

  it('shows the registrations report without them, its totals unchanged', async () => {
    const page = await admin.agent.get(`/admin/self-registration/reports/registrations?item=${encodeURIComponent(`topic:${s.items.topic.id}`)}`).expect(200);
    expect(page.text).not.to.contain(P.lastName);
    expect(page.text).not.to.contain(P.email);
    expect(page.text).to.contain(Q.lastName).and.to.contain('Erased person');
  });

  it('records in the Activity page that a person was erased, and what changed, without naming them', async () => {
    const page = await admin.agent.get('/admin/self-registration/tokens/activity').expect(200);
    expect(page.text).to.contain('erased a person’s data').and.to.contain('their account was deleted in the host');
    expect(page.text).to.match(/\d+ rows changed, 2 registrations kept without them/);
    const rows = await s.knex('selfreg_audit_log').where({ action: 'person.erased' });
    expect(rows).to.have.length(1);
  });

  it('answers the API’s registrations report with the row counted and no one in it', async () => {
    const key = await createApiKey(admin, 'Reports');
    const res = await supertest(s.t.sandbox.app).get(`/api/self-registration/v1/reports/registrations?item=topic:${s.items.topic.id}`).set('Authorization', `Bearer ${key}`).expect(200);
    const users = (res.body.data as { user: Record<string, unknown> }[]).map((r) => r.user);
    expect(users).to.have.length(2);
    expect(users).to.deep.include({ id: null, email: null, firstName: null, lastName: null, type: null });
    expect(JSON.stringify(res.body)).not.to.contain(P.email).and.not.to.contain(pId);
  });

  it('is one transaction: a holder that fails leaves everything as it was', async () => {
    const holders = s.plugin.container.getAll<PersonalDataHolder>(TYPES.PersonalDataHolder);
    const failing: PersonalDataHolder = { id: 'failing', tables: [], erase: () => Promise.reject(new Error('disk full')) };
    const erase = new ErasePersonUseCase(get<UnitOfWork>(TYPES.UnitOfWork), [...holders, failing], get<LoggerPort>(TYPES.Logger), get<AuditRepository>(TYPES.AuditRepository), get<ClockPort>(TYPES.Clock));
    const q = { id: qId, email: Q.email, names: [Q.firstName, Q.lastName] };
    const held = await personalDataHits(s.knex, q);
    let error: unknown = null;
    await erase.execute({ userId: qId, reason: 'erased' }).catch((e: unknown) => (error = e));
    expect(String(error)).to.contain('disk full');
    expect(await personalDataHits(s.knex, q)).to.deep.equal(held);
  });

  it('a second delivery of the event changes nothing', async () => {
    const snapshot = await s.knex('selfreg_registrations').orderBy('id');
    await s.t.sandbox.events.emit('user.deleted', { userId: pId });
    expect(await s.knex('selfreg_registrations').orderBy('id')).to.deep.equal(snapshot);
  });
});
