/*
 * The self-enrolment quarantine and the rules' backfill under load, on the sandbox: a prospect
 * cannot enrol themselves in a staff/client item (catalogue, forged POST, or the plugin's own veto
 * in the host's filter chain) and can in one opened to prospects; a backfill running while
 * registrations arrive enrols each person once.
 */
import { expect } from 'chai';
import supertest from 'supertest';
import type { HostUser } from '../../src/contract/index.js';
import type { HookRegistry } from '../../src/hooks/hook-registry.js';
import { TYPES } from '../../src/types.js';
import { signedIn } from '../sandbox/helpers.js';
import { pluginOf } from '../support/plugin-of.js';
import { expectRegistered, key, rulesScene, type RulesScene } from './enrolment-rules.helpers.js';

const PASSWORD = 'a long prospect password 42';

describe('e2e: self-enrolment quarantine and concurrent backfill', function () {
  this.timeout(300_000);
  let s: RulesScene;
  let prospect: HostUser;

  before(async () => {
    s = await rulesScene();
    prospect = await s.t.sandbox.host.users.create({ email: 'quarantined@example.com', firstName: 'Quin', lastName: 'Prospect', type: 'prospect' });
    await s.t.sandbox.host.credentials.setPassword(prospect.id, PASSWORD);
  });
  after(() => s?.t.destroy());

  it('a prospect is kept out of a staff/client item by the catalogue and a forged POST, and can enrol in one opened to prospects', async () => {
    const [staffItem, openItem] = s.topics.slice(30);
    await s.t.sandbox.selfEnrolment.setOpenTo(staffItem!, ['staff', 'client']);
    await s.t.sandbox.selfEnrolment.setOpenTo(openItem!, ['prospect']);
    const agent = await signedIn(s.t.sandbox, prospect.email, PASSWORD);
    const catalogue = (await agent.get('/catalogue').expect(200)).text;
    expect(catalogue).to.contain('Rule topic 32');
    expect(catalogue).not.to.contain('Rule topic 31');
    const forged = await agent.post(`/catalogue/${staffItem!.type}/${staffItem!.id}/enrol`).type('form').send({}).expect(403);
    expect(forged.text).to.match(/not open/i);
    expect(await s.enrolments(prospect.id)).to.not.have.property(key(staffItem!));
    await agent.post(`/catalogue/${openItem!.type}/${openItem!.id}/enrol`).type('form').send({}).expect(303);
    expect(await s.enrolments(prospect.id)).to.have.property(key(openItem!), 'other:');
  });

  it('the plugin joins the host\'s self_enrol chain and vetoes a prospect with a clear message; other types pass', async () => {
    // The loaded plugin's own registry (its module copy's class, so found by its role).
    const registry = pluginOf(s.t).container.getAll<HookRegistry>(TYPES.Lifecycle).find((c) => c.phase === 'hooks' && typeof (c as { filter?: unknown }).filter === 'function')!;
    const item = s.topics[30]!;
    const vetoed = await registry.filter('enrolment.self_enrol', { user: prospect, item, openTo: ['staff', 'client'] });
    expect(vetoed).to.deep.include({ ok: false, hook: 'filter:enrolment.self_enrol' });
    expect(vetoed.ok === false && vetoed.veto.code).to.equal('ENROLMENT.NOT_OPEN');
    // The host is answered with a sentence it shows as it is.
    const words = pluginOf(s.t).container.get<(v: { code: string }) => string>(TYPES.VetoWords);
    expect(words({ code: 'ENROLMENT.NOT_OPEN' })).to.equal('This item is not open to your account type for self-enrolment. Ask an administrator if you need access.');
    const client = { ...prospect, type: 'client' as const };
    expect((await registry.filter('enrolment.self_enrol', { user: client, item, openTo: ['staff', 'client'] })).ok).to.equal(true);
    expect((await registry.filter('enrolment.self_enrol', { user: prospect, item, openTo: ['prospect'] })).ok).to.equal(true);
  });

  it('the portal panel warns about a self-enrolment item open to every user type', async () => {
    const everyone = s.topics[32]!;
    await s.t.sandbox.selfEnrolment.setOpenTo(everyone, ['staff', 'client', 'prospect']);
    const page = await s.admin.agent.get('/admin/portal').expect(200);
    expect(page.text).to.contain('open to every user type');
    expect(page.text).to.contain('Rule topic 33');
  });

  it('a backfill running while registrations arrive enrols each person once', async () => {
    const [tokenItem, a, b] = s.topics.slice(34);
    await s.seedUsers(20_000, (i) => ({ email: `load${i}@crowd.test` }));
    const token = await s.token(tokenItem!);
    const rule = await s.api('post', '/enrolment-rules', { name: 'Everyone', enrolIn: [a, b] }).expect(201);
    const apply = s.api('post', `/enrolment-rules/${rule.body.id}/apply`).expect(202);
    const emails = Array.from({ length: 30 }, (_, i) => `arrival${i}@crowd.test`);
    const registrations = Promise.all(emails.map((e) => s.register(token.code, e)));
    await apply;
    for (const res of await registrations) expectRegistered(res);
    let run: { state: string; created: Record<string, number> } | null = null;
    for (let i = 0; i < 1200 && (!run || run.state === 'running'); i++) {
      run = (await s.api('get', `/enrolment-rules/${rule.body.id}`).expect(200)).body.lastRun;
      if (run?.state === 'running') await new Promise((r) => setTimeout(r, 50));
    }
    expect(run!.state).to.equal('done');
    const prospects = Number((await s.t.knex('sandbox_users').where({ type: 'prospect' }).count({ n: '*' }))[0]!.n);
    for (const item of [a!, b!]) {
      const rows = await s.t.knex('sandbox_enrolments').where({ item_type: item.type, item_id: item.id }).select('user_id', 'source_kind');
      // Every prospect is enrolled, each once, all by the rule.
      expect(rows).to.have.length(prospects);
      expect(new Set(rows.map((r: { user_id: number }) => r.user_id)).size).to.equal(prospects);
      expect(rows.every((r: { source_kind: string }) => r.source_kind === 'rule')).to.equal(true);
    }
    // What the run created and what the registrations made add up to the rows: nothing twice.
    const byRun = run!.created[key(a!)]!;
    expect(byRun).to.be.at.most(prospects).and.at.least(prospects - emails.length);
  });
});
