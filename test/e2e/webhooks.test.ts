/*
 * Signed webhooks end to end in the sandbox host, against a real receiver on loopback that verifies
 * every request with the standardwebhooks package: an endpoint added in the Webhooks panel (its
 * secret shown once), each event delivered once with a valid signature, a receiver answering 500
 * then 200, a receiver down while people register, a rotated secret, 410 Gone disabling the endpoint.
 */
import { expect } from 'chai';
import supertest from 'supertest';
import type { Knex } from 'knex';
import { startTestSandbox, type TestSandbox } from '../sandbox/helpers.js';
import { until } from '../support/mail-support.js';
import { signIn, type Person } from '../support/sign-in.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';
import { pluginOf, seedToken } from './mail-e2e-support.js';
import { TYPES } from '../../src/types.js';
import type { WebhookUseCases } from '../../src/application/webhooks/webhook-use-cases.js';
import type { RecordLearningUseCase } from '../../src/application/reports/record-learning.use-case.js';
import type { SetTokenEnabledUseCase } from '../../src/application/tokens/set-token-enabled.use-case.js';
import type { HostUser } from '../../src/domain/shared/user.js';

const BASE = 'http://learn.acme.test';
const ENDPOINTS = '/admin/self-registration/webhooks/endpoints';

describe('e2e: signed webhooks to a receiver on loopback', function () {
  this.timeout(60_000);
  let t: TestSandbox;
  let knex: Knex;
  let admin: Person;
  let adminUser: HostUser;
  const receiver = new WebhookReceiver();
  let endpointId = '';
  let code = '';
  let topic: { id: number; title: string };
  let n = 0;

  const register = (email: string, query = '') =>
    supertest(t.sandbox.app).post(`/register${query}`).type('form').send({ firstName: 'Lea', lastName: `Lead ${String.fromCharCode(65 + (n++ % 26))}`, email, token: code });
  const uc = () => pluginOf(t).container.get<WebhookUseCases>(TYPES.WebhookUseCases);
  const deliveries = async () => knex('selfreg_webhook_deliveries').where({ endpoint_id: endpointId }).orderBy('id');
  const form = (fields: Record<string, string | string[]>) =>
    Object.entries(fields).flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => `${encodeURIComponent(k)}=${encodeURIComponent(x)}`)).join('&');

  before(async () => {
    await receiver.start();
    t = await startTestSandbox({ plugin: false, env: { PUBLIC_BASE_URL: BASE } });
    knex = t.knex;
    await t.sandbox.loadPlugin({ options: { outboxPollMs: 50, webhookNetwork: 'loopback', webhookRetryBaseMs: 50 } });
    topic = await knex('sandbox_items').where({ type: 'topic', origin: 'own' }).orderBy('id').first();
    code = await seedToken(t, { type: 'topic', id: String(topic.id) }, 'HOOK-TEST-CODE-1', 'Spring fair');
    admin = await signIn(t, 'Super admin');
    adminUser = (await t.sandbox.host.users.findByEmail(t.accounts['Super admin']!.email))! as unknown as HostUser;
  });
  after(async () => {
    await t?.destroy();
    await receiver.stop();
  });
  beforeEach(() => {
    receiver.received.length = 0;
    receiver.answers.length = 0;
    receiver.status = 200;
  });

  it('a Super admin adds an endpoint in the Webhooks panel: its whsec_ secret is shown once, the panel lists it', async () => {
    const res = await admin.agent.post(ENDPOINTS).type('form')
      .send(form({ _csrf: admin.csrf, returnTo: '/admin/portal', url: receiver.url, description: 'CRM leads', events: ['registration.created', 'registration.activated', 'enrolment.completed', 'token.disabled', 'token.enabled'] }));
    expect(res.status, res.text.slice(0, 300)).to.equal(201);
    const secret = /value="(whsec_[A-Za-z0-9+/=]+)"/.exec(res.text)?.[1];
    expect(secret).to.be.a('string');
    receiver.secrets = [secret!];
    const row = await knex('selfreg_webhook_endpoints').first();
    endpointId = String(row.id);
    // Stored encrypted: the dump holds no usable secret.
    expect(JSON.stringify(row)).not.to.contain(secret!.slice(6));
    const panel = await admin.agent.get('/admin/portal').expect(200);
    expect(panel.text).to.contain('CRM leads').and.to.contain(receiver.url).and.not.to.contain(secret!);
    expect(await knex('selfreg_audit_log').where({ action: 'webhook.created' })).to.have.length(1);
  });

  it('a Standard admin cannot add one (403), and a form without its CSRF token is refused', async () => {
    const standard = await signIn(t, 'Standard admin');
    await standard.agent.post(ENDPOINTS).type('form').send(form({ _csrf: standard.csrf, url: receiver.url, events: 'registration.created' })).expect(403);
    await admin.agent.post(ENDPOINTS).type('form').send(form({ _csrf: 'nope', url: receiver.url, events: 'registration.created' })).expect(403);
    expect(await knex('selfreg_webhook_endpoints')).to.have.length(1);
  });

  it('a private address is refused in the panel, and the form shows again what was typed with the reason', async () => {
    const res = await admin.agent.post(ENDPOINTS).type('form')
      .send(form({ _csrf: admin.csrf, returnTo: '/admin/portal', url: 'https://10.0.0.8/hooks', description: 'Intranet', events: ['token.disabled'] })).expect(303);
    expect(res.headers.location).to.match(/selfreg_webhook_error=WEBHOOK.URL_INTERNAL/).and.to.match(/selfreg_webhook_draft=/);
    const page = await admin.agent.get(res.headers.location!).expect(200);
    expect(page.text).to.contain('value="https://10.0.0.8/hooks"').and.to.contain('value="Intranet"').and.to.contain('aria-invalid="true"');
    expect(page.text).to.contain('private network');
    expect(await knex('selfreg_webhook_endpoints')).to.have.length(1);
  });

  it('a registration is delivered once, signed, with what a CRM needs (person, item, token nickname, campaign, user type)', async () => {
    const res = await register('lead1@example.com');
    expect(res.status).to.equal(200);
    await until(() => receiver.delivered('registration.created').length === 1, 10_000, 'registration.created');
    const [hook] = receiver.delivered('registration.created');
    expect(hook!.verifiedWith).to.deep.equal([true]);
    expect(hook!.headers['webhook-id']).to.match(/^msg_[0-9a-f]{32}$/);
    const user = await knex('sandbox_users').where({ email: 'lead1@example.com' }).first();
    expect(hook!.json.data.person).to.deep.include({ id: String(user.id), email: 'lead1@example.com', firstName: 'Lea', userType: 'prospect' });
    expect(hook!.json.data.item).to.deep.equal({ type: 'topic', id: String(topic.id), title: topic.title });
    expect(hook!.json.data.token.nickname).to.equal('Spring fair');
    expect(hook!.json.data.registration).to.deep.include({ newAccount: true, campaign: null });
    await until(async () => (await deliveries())[0]?.status === 'delivered', 10_000, 'the delivery recorded');
    const [row] = await deliveries();
    expect(row).to.include({ status: 'delivered', attempts: 1, last_status_code: 200, user_id: String(user.id), event_type: 'registration.created' });
    expect(row.payload).to.equal(hook!.body);
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.received).to.have.length(1);
  });

  it('activation, completion (once, however often the host repeats it) and a disabled token are delivered too', async () => {
    const user = await knex('sandbox_users').where({ email: 'lead1@example.com' }).first();
    // The invitation's own page: set a password (the POST that activates the registration).
    let link = '';
    await until(async () => {
      const mail = await knex('sandbox_mailbox').where({ to: 'lead1@example.com' }).orderBy('id', 'desc').first();
      link = (mail && /https?:\/\/\S+\/self-registration\/invitation\/[A-Za-z0-9_-]+/.exec(String(mail.text))?.[0]) ?? '';
      return link !== '';
    }, 10_000, 'the invitation');
    const path = new URL(link).pathname;
    await supertest(t.sandbox.app).post(path).type('form').send({ password: 'a-long-password-1', passwordConfirm: 'a-long-password-1' }).expect(303);
    const learning = pluginOf(t).container.get<RecordLearningUseCase>(TYPES.RecordLearningUseCase);
    const step = { kind: 'completed' as const, outcome: 'passed' as const, score: 92, at: new Date() };
    await learning.execute({ userId: String(user.id), item: { type: 'topic', id: String(topic.id) }, step });
    await learning.execute({ userId: String(user.id), item: { type: 'topic', id: String(topic.id) }, step });
    const token = await knex('selfreg_tokens').first();
    const toggled = await pluginOf(t).container.get<SetTokenEnabledUseCase>(TYPES.SetTokenEnabledUseCase).execute(adminUser, String(token.id), false);
    expect(toggled.ok).to.equal(true);
    await until(() => receiver.delivered().length === 3, 10_000, 'three events');
    expect(receiver.delivered('registration.activated')).to.have.length(1);
    expect(receiver.delivered('enrolment.completed')[0]!.json.data.completion).to.deep.include({ outcome: 'passed', score: 92 });
    expect(receiver.delivered('token.disabled')[0]!.json.data.token.nickname).to.equal('Spring fair');
    expect(receiver.received.every((r) => r.verifiedWith[0] === true)).to.equal(true);
    await pluginOf(t).container.get<SetTokenEnabledUseCase>(TYPES.SetTokenEnabledUseCase).execute(adminUser, String(token.id), true);
    await until(() => receiver.delivered('token.enabled').length === 1, 10_000, 'token.enabled');
  });

  it('with an endpoint subscribed, a new person\'s registration is still one statement (plus the abuse limits): its delivery is written in it', async () => {
    await register('warm@example.com').expect(200);
    await until(() => receiver.delivered('registration.created').length === 1, 10_000, 'the warm-up delivery');
    const statements: string[] = [];
    const listen = (q: { sql: string }) => void statements.push(q.sql);
    // Only the request's own statements: the worker runs on the same knex, so its claims are left out.
    knex.on('query', listen);
    await register('counted@example.com').expect(200);
    knex.removeListener('query', listen);
    const own = statements.filter((q) => !/selfreg_webhook_deliveries" set|selfreg_outbox" set|"selfreg_webhook_endpoints" where|selfreg_webhook_deliveries" where "status"|jsonb_to_recordset|json_to_recordset|update "selfreg_webhook_deliveries"|update selfreg_webhook_deliveries|update selfreg_outbox set/.test(q));
    const registration = own.filter((q) => /selfreg_registrations/.test(q));
    expect(registration, own.join('\n')).to.have.length(1);
    expect(registration[0]).to.contain('selfreg_webhook_deliveries');
    expect(own.some((q) => /^(BEGIN|COMMIT)/i.test(q))).to.equal(false);
    await until(() => receiver.delivered('registration.created').some((r) => r.json.data.person.email === 'counted@example.com'), 10_000, 'its delivery');
  });

  it('a receiver answering 500 then 200: retried with the same webhook-id and delivered', async () => {
    receiver.answers.push({ status: 500 });
    await register('lead2@example.com').expect(200);
    await until(() => receiver.delivered('registration.created').length === 1, 10_000, 'the retry');
    await until(async () => (await deliveries()).at(-1)?.status === 'delivered', 10_000, 'the retry recorded');
    const [failed, ok] = receiver.received;
    expect(failed!.answered).to.equal(500);
    expect(ok!.headers['webhook-id']).to.equal(failed!.headers['webhook-id']);
    expect(ok!.verifiedWith).to.deep.equal([true]);
    const row = (await deliveries()).at(-1);
    expect(row).to.include({ status: 'delivered', attempts: 2, last_status_code: 200 });
  });

  it('nothing is lost while the receiver is down: every registration arrives once when it is back', async () => {
    await receiver.stop();
    const emails = ['down1@example.com', 'down2@example.com', 'down3@example.com'];
    for (const email of emails) await register(email).expect(200);
    await until(async () => (await deliveries()).filter((d) => d.attempts >= 1 && d.status === 'queued').length === 3, 10_000, 'failed tries');
    await receiver.start();
    await until(() => receiver.delivered('registration.created').length === 3, 20_000, 'the waiting deliveries');
    const got = receiver.delivered('registration.created').map((r) => r.json.data.person.email).sort();
    expect(got).to.deep.equal(emails);
  });

  it('a rotated secret: during the overlap every delivery verifies with the new secret and with the old one', async () => {
    const rotated = await uc().rotate.execute(adminUser, endpointId);
    expect(rotated.ok).to.equal(true);
    const next = rotated.ok ? rotated.value.secret : '';
    receiver.secrets = [receiver.secrets[0]!, next];
    await register('rotate@example.com').expect(200);
    await until(() => receiver.delivered('registration.created').length === 1, 10_000, 'the signed delivery');
    const [hook] = receiver.delivered();
    expect(hook!.verifiedWith).to.deep.equal([true, true]);
    expect(hook!.headers['webhook-signature']!.split(' ')).to.have.length(2);
    receiver.secrets = [next];
  });

  it('replay sends the same body and webhook-id again; a test send reaches the endpoint', async () => {
    // The receiver has the last delivery; its try is written just after (a replay needs it delivered).
    await until(async () => (await deliveries()).at(-1)?.status === 'delivered', 10_000, 'the last try recorded');
    const last = (await deliveries()).at(-1);
    expect((await uc().replay.execute(adminUser, endpointId, String(last.id))).ok).to.equal(true);
    expect((await uc().sendTest.execute(adminUser, endpointId)).ok).to.equal(true);
    await until(() => receiver.delivered().length === 2, 10_000, 'replay and test');
    const replayed = receiver.received.find((r) => r.json.type === 'registration.created')!;
    expect(replayed.headers['webhook-id']).to.equal(last.message_id);
    expect(replayed.body).to.equal(last.payload);
    expect(receiver.delivered('webhook.test')[0]!.verifiedWith).to.deep.equal([true]);
  });

  it('410 Gone disables the endpoint at once, the Super admins are emailed, and later events wait', async () => {
    receiver.status = 410;
    await register('gone@example.com').expect(200);
    await until(async () => (await knex('selfreg_webhook_endpoints').where({ id: endpointId }).first()).status === 'disabled', 10_000, 'disabled');
    const mail = await knex('selfreg_outbox').where({ template: 'webhook-disabled' });
    expect(mail.length).to.be.greaterThan(0);
    // Rendered and delivered to the Super admin: what happened, and that nothing is lost.
    await until(async () => !!(await knex('sandbox_mailbox').where({ to: t.accounts['Super admin']!.email }).whereRaw("subject like '%webhook endpoint was disabled%'").first()), 10_000, 'the admin email');
    const sent = await knex('sandbox_mailbox').where({ to: t.accounts['Super admin']!.email }).whereRaw("subject like '%webhook endpoint was disabled%'").first();
    expect(String(sent.text)).to.contain(receiver.url).and.to.contain('410 Gone').and.to.contain('Nothing is lost');
    expect(await knex('selfreg_audit_log').where({ action: 'webhook.disabled' })).to.have.length(1);
    receiver.status = 200;
    const before = receiver.received.length;
    await register('waits@example.com').expect(200);
    await new Promise((r) => setTimeout(r, 400));
    expect(receiver.received.length).to.equal(before);
    expect((await uc().setEnabled.execute(adminUser, endpointId, true)).ok).to.equal(true);
    await until(() => receiver.delivered('registration.created').some((r) => r.json.data.person.email === 'waits@example.com'), 10_000, 'the waiting delivery');
  });
});
