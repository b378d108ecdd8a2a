/*
 * Enrolment rules end to end on the sandbox: a registration enrols in the token's item and every
 * matching rule's items in one transaction (all or nothing), a dry run counts what the apply does,
 * withdrawals touch only the rule's own unstarted enrolments, a manual removal is not undone, and
 * a type change (prospect to client) is followed. Runs on PostgreSQL with DATABASE_URL, PGlite without.
 */
import { expect } from 'chai';
import { signedIn } from '../sandbox/helpers.js';
import { csrfIn as csrfOf } from '../support/csrf.js';
import { expectRegistered, key, rulesScene, type RulesScene } from './enrolment-rules.helpers.js';

describe('e2e: enrolment rules', function () {
  this.timeout(180_000);
  let s: RulesScene;

  before(async () => {
    s = await rulesScene();
  });
  after(() => s?.t.destroy());

  it('creates a rule from the smallest body: 201, enabled, with its id; refuses a bad one in the API error shape', async () => {
    const [a, b] = s.topics;
    const res = await s.api('post', '/enrolment-rules', { name: 'Prospects get the basics', userTypes: ['prospect'], enrolIn: [{ type: a!.type, id: a!.id }] }).expect(201);
    expect(res.body).to.include({ name: 'Prospects get the basics', enabled: true, withdrawOnUnmatch: false });
    expect(res.body.id).to.match(/^\d+$/);
    expect(res.headers.location).to.equal(`/api/self-registration/v1/enrolment-rules/${res.body.id}`);
    const bad = await s.api('post', '/enrolment-rules', { name: '', enrolIn: [] }).expect(422);
    expect(bad.body.error).to.include({ code: 'RULE.NAME_INVALID', field: 'name' });
    const unknown = await s.api('post', '/enrolment-rules', { name: 'x', enrolIn: [b], colour: 'red' }).expect(400);
    expect(unknown.body.error.field).to.equal('colour');
    const missing = await s.api('post', '/enrolment-rules', { name: 'x', enrolIn: [{ type: 'topic', id: '999999' }] }).expect(422);
    expect(missing.body.error.code).to.equal('RULE.ITEM_NOT_FOUND');
    await s.api('delete', `/enrolment-rules/${res.body.id}`).expect(204);
    await s.api('get', `/enrolment-rules/${res.body.id}`).expect(404);
    const actions = (await s.t.knex('selfreg_audit_log').where('action', 'like', 'rule.%').orderBy('id')).map((r: { action: string }) => r.action);
    expect(actions).to.deep.equal(['rule.created', 'rule.deleted']);
  });

  it('a prospect registered through a token is enrolled in its item and every matching rule\'s items at once, each with its source', async () => {
    const [item, r1, r2, r3] = s.topics;
    const token = await s.token(item!);
    const one = await s.api('post', '/enrolment-rules', { name: 'Basics', enrolIn: [r1, s.library] }).expect(201);
    const two = await s.api('post', '/enrolment-rules', { name: 'Spring campaign', arrival: { kind: 'token', tokenId: token.id }, campaigns: ['spring'], enrolIn: [r1, r2] }).expect(201);
    const other = await s.api('post', '/enrolment-rules', { name: 'Clients only', userTypes: ['client'], enrolIn: [r3] }).expect(201);
    // The campaign travels sealed from the deep link: take it from the page as a visitor would.
    const page = await (await import('supertest')).default(s.t.sandbox.app).get(`/register/${token.code}?utm_campaign=spring`).expect(200);
    const sealed = /name="campaign" value="([^"]+)"/.exec(page.text)?.[1];
    const res = await (await import('supertest')).default(s.t.sandbox.app).post('/register').type('form')
      .send({ firstName: 'Ann', lastName: 'Spring', email: 'ann.spring@example.com', token: token.code, consent: 'yes', ...(sealed && { campaign: sealed }) });
    expectRegistered(res);
    const id = (await s.userId('ann.spring@example.com'))!;
    const got = await s.enrolments(id);
    expect(got).to.deep.equal({
      [key(item!)]: `token:${token.id}`, [key(r1!)]: `rule:${one.body.id}`, [key(s.library)]: `rule:${one.body.id}`,
      ...(sealed ? { [key(r2!)]: `rule:${two.body.id}` } : {}),
    });
    expect(sealed, 'the page seals the campaign').to.be.a('string');
    expect(got).to.not.have.property(key(r3!));
    for (const r of [one, two, other]) await s.api('delete', `/enrolment-rules/${r.body.id}`).expect(204);
  });

  it('a failure in any of the rule enrolments rolls the whole registration back', async () => {
    const [item, r4] = s.topics.slice(5);
    const token = await s.token(item!);
    const rule = await s.api('post', '/enrolment-rules', { name: 'Breaks', enrolIn: [r4] }).expect(201);
    await s.t.knex.raw(`create or replace function test_refuse_rule() returns trigger language plpgsql as $$
      begin if new.source_kind = 'rule' then raise exception 'refused by test'; end if; return new; end $$`);
    await s.t.knex.raw('create trigger test_refuse_rule before insert on sandbox_enrolments for each row execute function test_refuse_rule()');
    try {
      const res = await s.register(token.code, 'rolled.back@example.com');
      expect(res.status).to.be.at.least(500);
    } finally {
      await s.t.knex.raw('drop trigger test_refuse_rule on sandbox_enrolments');
    }
    expect(await s.userId('rolled.back@example.com')).to.equal(null);
    expect(await s.t.knex('selfreg_registrations').where({ token_id: token.id })).to.have.length(0);
    expect(await s.t.knex('selfreg_outbox').whereRaw(`data::text like '%rolled.back@example.com%'`)).to.have.length(0);
    await s.api('delete', `/enrolment-rules/${rule.body.id}`).expect(204);
  });

  it('a dry run counts exactly what the apply then does, per item, with a sample of names; applying again adds nothing', async () => {
    const [a, b] = s.topics.slice(20);
    await s.seedUsers(300, (i) => ({ email: `dry${i}@${i % 3 === 0 ? 'partner.test' : 'mail.example.com'}`, type: i % 10 === 0 ? 'client' : 'prospect' }));
    const rule = await s.api('post', '/enrolment-rules', { name: 'Example.com prospects', emailDomains: { mode: 'in', domains: ['example.com'] }, enrolIn: [a, b] }).expect(201);
    // Some are enrolled already: they are not counted.
    const already = (await s.t.knex('sandbox_users').where('email', 'like', 'dry%@mail.example.com').andWhere({ type: 'prospect' }).orderBy('id').limit(7)).map((u: { id: number }) => u.id);
    await s.t.knex('sandbox_enrolments').insert(already.map((u: number) => ({ user_id: u, item_type: a!.type, item_id: a!.id, source: 'other', source_kind: 'other' })));
    const dry = await s.api('post', `/enrolment-rules/${rule.body.id}/dry-run`).expect(200);
    // Every prospect at example.com or a subdomain: the seeded ones, the demo's and earlier registrants.
    const expected = (await s.t.knex('sandbox_users').where({ type: 'prospect' }).andWhere((q) => q.where('email', 'like', '%@example.com').orWhere('email', 'like', '%.example.com'))).length;
    expect(expected).to.be.greaterThan(180);
    expect(dry.body.matched).to.equal(expected);
    expect(dry.body.items.map((i: { wouldEnrol: number }) => i.wouldEnrol)).to.deep.equal([expected - 7, expected]);
    expect(dry.body.sample).to.have.length(5);
    expect(dry.body.sample[0].email).to.match(/@mail\.example\.com$/);
    // Nothing was written by the dry run.
    expect(await s.t.knex('sandbox_enrolments').where({ source_kind: 'rule', source_ref: rule.body.id })).to.have.length(0);
    const run = await s.applied(rule.body.id);
    expect(run.state).to.equal('done');
    expect(run.created).to.deep.equal({ [key(a!)]: expected - 7, [key(b!)]: expected });
    expect(await s.t.knex('sandbox_enrolments').where({ source_kind: 'rule', source_ref: rule.body.id })).to.have.length(2 * expected - 7);
    expect((await s.api('post', `/enrolment-rules/${rule.body.id}/dry-run`).expect(200)).body.total).to.equal(0);
    expect((await s.applied(rule.body.id)).created).to.deep.equal({ [key(a!)]: 0, [key(b!)]: 0 });
    const audit = await s.t.knex('selfreg_audit_log').where({ action: 'rule.applied' });
    expect(audit.map((e: { details: { created: number } | string }) => (typeof e.details === 'string' ? JSON.parse(e.details) : e.details).created)).to.deep.equal([2 * expected - 7, 0]);
    await s.api('patch', `/enrolment-rules/${rule.body.id}`, { enabled: false }).expect(200);
    expect((await s.api('post', `/enrolment-rules/${rule.body.id}/apply`).expect(409)).body.error.code).to.equal('RULE.DISABLED');
  });

  it('a prospect who becomes a client: withdrawn only from the rule\'s own unstarted enrolments, client rules enrol; a kept rule keeps', async () => {
    const [item, w1, w2, w3, kept, clientItem] = s.topics.slice(8);
    const token = await s.token(item!);
    const pull = await s.api('post', '/enrolment-rules', { name: 'Prospect trial', enrolIn: [w1, w2, w3], withdrawOnUnmatch: true }).expect(201);
    const keep = await s.api('post', '/enrolment-rules', { name: 'Prospect keep', enrolIn: [kept] }).expect(201);
    const clients = await s.api('post', '/enrolment-rules', { name: 'Clients', userTypes: ['client'], enrolIn: [clientItem] }).expect(201);
    expectRegistered(await s.register(token.code, 'becomes.client@example.com'));
    const id = (await s.userId('becomes.client@example.com'))!;
    // The learner started w2; an admin re-made w3 by hand (another source).
    await s.t.knex('sandbox_learning').insert({ user_id: Number(id), item_type: w2!.type, item_id: w2!.id, started_at: new Date(), percent: 40, updated_at: new Date() });
    await s.t.knex('sandbox_enrolments').where({ user_id: Number(id), item_type: w3!.type, item_id: w3!.id }).update({ source_kind: 'other', source_ref: null });
    await s.t.sandbox.admin.updateUser(id, { type: 'client' });
    const got = await s.enrolments(id);
    expect(got).to.not.have.property(key(w1!));
    expect(got[key(w2!)]).to.equal(`rule:${pull.body.id}`);
    expect(got[key(w3!)]).to.equal('other:');
    expect(got[key(kept!)]).to.equal(`rule:${keep.body.id}`);
    expect(got[key(clientItem!)]).to.equal(`rule:${clients.body.id}`);
    expect(got[key(item!)]).to.equal(`token:${token.id}`);
    // The reports see the type change.
    const reg = await s.t.knex('selfreg_registrations').where({ user_id: id }).first();
    expect(reg.user_type).to.equal('client');
    for (const r of [pull, keep, clients]) await s.api('delete', `/enrolment-rules/${r.body.id}`).expect(204);
  });

  it('an admin\'s manual removal is respected: neither a user change nor an apply enrols that person again', async () => {
    const [item, m1] = s.topics.slice(15);
    const token = await s.token(item!);
    const rule = await s.api('post', '/enrolment-rules', { name: 'Removable', enrolIn: [m1] }).expect(201);
    expectRegistered(await s.register(token.code, 'removed.by.admin@example.com'));
    const id = (await s.userId('removed.by.admin@example.com'))!;
    expect(await s.enrolments(id)).to.have.property(key(m1!));
    expect(await s.t.sandbox.admin.removeEnrolment(id, m1!)).to.equal(true);
    await s.t.sandbox.admin.updateUser(id, { firstName: 'Renamed' });
    expect(await s.enrolments(id)).to.not.have.property(key(m1!));
    await s.applied(rule.body.id);
    expect(await s.enrolments(id)).to.not.have.property(key(m1!));
    expect(await s.t.knex('selfreg_rule_suppressions').where({ user_id: id })).to.have.length(1);
    await s.api('delete', `/enrolment-rules/${rule.body.id}`).expect(204);
  });

  it('a signed-in client registering with a token gets the token\'s item (its source) and the client rule\'s items in the same transaction', async () => {
    const [item, c1] = s.topics.slice(18);
    const token = await s.token(item!);
    const rule = await s.api('post', '/enrolment-rules', { name: 'Clients through this token', userTypes: ['client'], arrival: { kind: 'token', tokenId: token.id }, enrolIn: [c1] }).expect(201);
    const client = s.t.accounts['Client learner']!;
    const agent = await signedIn(s.t.sandbox, client.email, client.password);
    const page = await agent.get(`/register/${token.code}`).expect(200);
    const res = await agent.post('/register').type('form').send({ firstName: 'Chris', lastName: 'Client', email: client.email, token: token.code, _csrf: csrfOf(page.text) });
    expect(res.status).to.equal(303);
    const got = await s.enrolments((await s.userId(client.email))!);
    expect(got[key(item!)]).to.equal(`token:${token.id}`);
    expect(got[key(c1!)]).to.equal(`rule:${rule.body.id}`);
    await s.api('delete', `/enrolment-rules/${rule.body.id}`).expect(204);
  });

  it('an item the host deletes leaves every rule; a rule left with no item is switched off', async () => {
    const [keep, gone, only] = s.topics.slice(22);
    const two = await s.api('post', '/enrolment-rules', { name: 'Two items', enrolIn: [keep, gone] }).expect(201);
    const one = await s.api('post', '/enrolment-rules', { name: 'One item', enrolIn: [only] }).expect(201);
    expect(await s.t.sandbox.admin.deleteItem(gone!)).to.equal(true);
    expect(await s.t.sandbox.admin.deleteItem(only!)).to.equal(true);
    expect((await s.api('get', `/enrolment-rules/${two.body.id}`).expect(200)).body).to.deep.include({ enabled: true, enrolIn: [keep] });
    expect((await s.api('get', `/enrolment-rules/${one.body.id}`).expect(200)).body).to.deep.include({ enabled: false, enrolIn: [only] });
    // A registration afterwards is not asked to enrol into the deleted item.
    const token = await s.token(keep!);
    expectRegistered(await s.register(token.code, 'after.item.deleted@example.com'));
    for (const r of [two, one]) await s.api('delete', `/enrolment-rules/${r.body.id}`).expect(204);
  });
});
