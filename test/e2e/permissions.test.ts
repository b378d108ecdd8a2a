/*
 * Every admin route and every API call, as anonymous, a staff learner, a client learner, a Standard
 * admin and a Super admin. Learners send a CSRF token valid for their own session, so each refusal
 * is the server's permission check and not a missing token. Refused calls change nothing.
 */
import { expect } from 'chai';
import supertest from 'supertest';
import type { Knex } from 'knex';
import { startTestSandbox, type TestSandbox } from '../sandbox/helpers.js';
import { sha256Hasher } from '../../src/adapters/crypto/crypto.adapters.js';
import { signIn, type Agent, type Person } from '../support/sign-in.js';
import { createApiKey, ownTopic, useCases } from './token-management.fixtures.js';

const A = '/admin/self-registration';
const API = '/api/self-registration/v1';
const ROLES = ['anonymous', 'staff learner', 'client learner', 'standard admin', 'super admin'] as const;
type Role = (typeof ROLES)[number];
const LABELS: Record<Exclude<Role, 'anonymous'>, string> = {
  'staff learner': 'Staff learner',
  'client learner': 'Client learner',
  'standard admin': 'Standard admin',
  'super admin': 'Super admin',
};

/** Expected status per role, in ROLES order. */
type Expect = readonly [number, number, number, number, number];

describe('e2e: permissions on every admin route and API call', function () {
  this.timeout(120_000);
  let t: TestSandbox;
  let knex: Knex;
  const people = {} as Record<Role, Person | null>;
  const keys = {} as Record<Role, string | null>;
  let topicId: string;

  before(async () => {
    t = await startTestSandbox({ plugin: false });
    knex = t.knex;
    await t.sandbox.loadPlugin({ options: { outboxPollMs: 60_000 } });
    people.anonymous = null;
    for (const [role, label] of Object.entries(LABELS) as [Exclude<Role, 'anonymous'>, string][]) people[role] = await signIn(t, label);
    topicId = (await ownTopic(t)).id;
    // API keys: only a Super admin can create one; keys owned by others stand for owners who were
    // demoted after creating theirs (the key then acts with the owner's permissions as they are now).
    keys.anonymous = null;
    keys['super admin'] = await createApiKey(people['super admin']!, 'Super');
    for (const role of ['staff learner', 'client learner', 'standard admin'] as const) {
      const key = `srk_${role.replace(/\W/g, '').padEnd(43, 'x').slice(0, 43)}`;
      await knex('selfreg_api_keys').insert({ name: role, key_digest: sha256Hasher.hash(key), key_hint: key.slice(0, 10), created_by: people[role]!.id, created_by_name: role });
      keys[role] = key;
    }
  });
  after(() => t?.destroy());

  /** A fresh token for a request that consumes or changes one. */
  async function freshToken(nickname: string): Promise<string> {
    const actor = await t.sandbox.host.users.findById(people['super admin']!.id);
    const r = await useCases(t).createToken.execute(actor, { type: 'topic', id: topicId }, { nickname });
    if (!r.ok) throw new Error(r.error.code);
    return r.value.id;
  }

  const agentOf = (role: Role): Agent | ReturnType<typeof supertest> => people[role]?.agent ?? supertest(t.sandbox.app);
  const csrfOf = (role: Role): string => people[role]?.csrf ?? '';

  interface AdminRoute {
    readonly name: string;
    readonly expect: Expect;
    readonly run: (role: Role) => Promise<{ status: number; headers: Record<string, string> }>;
  }

  const post = (role: Role, path: string, fields: Record<string, string> = {}) =>
    agentOf(role).post(path).type('form').send({ _csrf: csrfOf(role), returnTo: '/admin/portal', ...fields }) as unknown as Promise<{ status: number; headers: Record<string, string> }>;
  const getPage = (role: Role, path: string) => agentOf(role).get(path) as unknown as Promise<{ status: number; headers: Record<string, string> }>;

  const SIGN_IN = 303; // a signed-out visitor following a link is sent to the host's sign-in page
  const adminRoutes = (): AdminRoute[] => [
    { name: 'POST /items/:type/:id/tokens (create)', expect: [401, 403, 403, 303, 303], run: (r) => post(r, `${A}/items/topic/${topicId}/tokens`, { nickname: `by ${r}` }) },
    { name: 'GET /tokens (Tokens page)', expect: [SIGN_IN, 403, 403, 200, 200], run: (r) => getPage(r, `${A}/tokens`) },
    { name: 'GET /tokens/activity', expect: [SIGN_IN, 403, 403, 200, 200], run: (r) => getPage(r, `${A}/tokens/activity`) },
    { name: 'POST /tokens/:id (edit)', expect: [401, 403, 403, 303, 303], run: async (r) => post(r, `${A}/tokens/${await freshToken('edit')}`, { nickname: `edited by ${r}` }) },
    { name: 'POST /tokens/:id/disable', expect: [401, 403, 403, 303, 303], run: async (r) => post(r, `${A}/tokens/${await freshToken('disable')}/disable`) },
    { name: 'POST /tokens/:id/enable', expect: [401, 403, 403, 303, 303], run: async (r) => post(r, `${A}/tokens/${await freshToken('enable')}/enable`) },
    { name: 'GET /tokens/:id/delete (confirmation)', expect: [SIGN_IN, 403, 403, 200, 200], run: async (r) => getPage(r, `${A}/tokens/${await freshToken('confirm')}/delete`) },
    { name: 'POST /tokens/:id/delete', expect: [401, 403, 403, 303, 303], run: async (r) => post(r, `${A}/tokens/${await freshToken('delete')}/delete`) },
    { name: 'GET /tokens/:id/qr.png', expect: [SIGN_IN, 403, 403, 200, 200], run: async (r) => getPage(r, `${A}/tokens/${await freshToken('qr')}/qr.png`) },
    { name: 'GET /tokens/:id/qr.svg', expect: [SIGN_IN, 403, 403, 200, 200], run: async (r) => getPage(r, `${A}/tokens/${await freshToken('qr')}/qr.svg`) },
    { name: 'POST /portal/switch (Super admins only)', expect: [401, 403, 403, 403, 303], run: (r) => post(r, `${A}/portal/switch`, { enabled: 'on' }) },
    { name: 'POST /api-keys (Super admins only)', expect: [401, 403, 403, 403, 201], run: (r) => post(r, `${A}/api-keys`, { name: `key of ${r}` }) },
    {
      name: 'POST /api-keys/:id/revoke (Super admins only)',
      expect: [401, 403, 403, 403, 303],
      run: async (r) => {
        const [row] = await knex('selfreg_api_keys').insert({ name: 'victim', key_digest: `${Math.random()}`.padEnd(64, '0').slice(0, 64), key_hint: 'srk_victim', created_by: '1', created_by_name: 'x' }).returning('id');
        return post(r, `${A}/api-keys/${(row as { id: string }).id}/revoke`);
      },
    },
  ];

  it('admin routes answer each role as expected', async () => {
    const table: string[] = [];
    const failures: string[] = [];
    for (const route of adminRoutes()) {
      const got: number[] = [];
      for (const role of ROLES) got.push((await route.run(role)).status);
      table.push(`${route.name.padEnd(48)} ${got.join(' ')}`);
      if (JSON.stringify(got) !== JSON.stringify(route.expect)) failures.push(`${route.name}: expected ${route.expect.join(' ')}, got ${got.join(' ')}`);
    }
    expect(failures, table.join('\n')).to.deep.equal([]);
  });

  it('anonymous GETs go to the host’s sign-in page and come back', async () => {
    const res = await supertest(t.sandbox.app).get(`${A}/tokens?status=active`);
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal(`/login?returnTo=${encodeURIComponent(`${A}/tokens?status=active`)}`);
  });

  it('refused requests change nothing: no token, no edit, no switch, no key', async () => {
    const id = await freshToken('Untouched');
    const before = {
      tokens: Number((await knex('selfreg_tokens').count({ n: '*' }).first())!.n),
      keys: Number((await knex('selfreg_api_keys').count({ n: '*' }).first())!.n),
      audit: Number((await knex('selfreg_audit_log').count({ n: '*' }).first())!.n),
    };
    for (const role of ['anonymous', 'staff learner', 'client learner'] as const) {
      await post(role, `${A}/items/topic/${topicId}/tokens`, { nickname: 'sneaky' });
      await post(role, `${A}/tokens/${id}`, { nickname: 'sneaky' });
      await post(role, `${A}/tokens/${id}/disable`);
      await post(role, `${A}/tokens/${id}/delete`);
      await post(role, `${A}/portal/switch`, { enabled: 'off' });
      await post(role, `${A}/api-keys`, { name: 'sneaky' });
    }
    await post('standard admin', `${A}/portal/switch`, { enabled: 'off' });
    await post('standard admin', `${A}/api-keys`, { name: 'sneaky' });
    expect(Number((await knex('selfreg_tokens').count({ n: '*' }).first())!.n)).to.equal(before.tokens);
    expect(Number((await knex('selfreg_api_keys').count({ n: '*' }).first())!.n)).to.equal(before.keys);
    expect(Number((await knex('selfreg_audit_log').count({ n: '*' }).first())!.n)).to.equal(before.audit);
    expect(await knex('selfreg_tokens').where({ id }).first()).to.include({ nickname: 'Untouched', enabled: true });
    expect((await t.sandbox.host.users.findById(people['super admin']!.id))?.role).to.equal('super_admin');
    const settings = await knex('selfreg_settings').where({ key: 'portal.enabled' }).first();
    expect(settings ? JSON.parse(JSON.stringify(settings.value)) : true).to.equal(true);
  });

  it('every admin POST needs a CSRF token of the admin’s own session', async () => {
    const id = await freshToken('csrf');
    const other = people['standard admin']!.csrf; // valid, but for another session
    const routes = [`${A}/items/topic/${topicId}/tokens`, `${A}/tokens/${id}`, `${A}/tokens/${id}/disable`, `${A}/tokens/${id}/enable`, `${A}/tokens/${id}/delete`, `${A}/portal/switch`, `${A}/api-keys`, `${A}/api-keys/1/revoke`];
    for (const path of routes) {
      for (const csrf of [undefined, '', 'forged', other]) {
        const res = await people['super admin']!.agent.post(path).type('form').send({ ...(csrf !== undefined && { _csrf: csrf }), enabled: 'off', name: 'x', nickname: 'x' });
        expect(res.status, `${path} with ${String(csrf)}`).to.equal(403);
        expect(res.text).to.contain('This form has expired');
      }
    }
    expect(await knex('selfreg_tokens').where({ id }).first()).to.include({ nickname: 'csrf', enabled: true });
  });

  it('panels: a Standard admin sees the Enrolment panel and the switch state, but neither the switch nor API keys', async () => {
    const std = (await people['standard admin']!.agent.get('/admin/portal').expect(200)).text;
    expect(std).to.contain('Only Super admins can switch self-registration on or off.').and.not.to.contain('/admin/self-registration/portal/switch').and.not.to.contain('Create API key');
    const sup = (await people['super admin']!.agent.get('/admin/portal').expect(200)).text;
    expect(sup).to.contain('/admin/self-registration/portal/switch').and.to.contain('Create API key');
    expect((await people['standard admin']!.agent.get(`/admin/items/topic/${topicId}/settings`).expect(200)).text).to.contain('Create a token');
    // Rendered for a learner (hosts should not show settings pages to learners at all): no panel.
    const plugin = t.sandbox.panels;
    const learner = await t.sandbox.host.users.findById(people['staff learner']!.id);
    const item = await t.sandbox.host.catalogue.get({ type: 'topic', id: topicId });
    const req = { query: {}, originalUrl: '/x' } as never;
    expect(await plugin.render('item.settings', { req, user: learner!, item: item! })).to.satisfy((ps: { id: string }[]) => !ps.some((p) => p.id.startsWith('self-registration')));
    expect(await plugin.render('portal.settings', { req, user: learner! })).to.satisfy((ps: { id: string }[]) => !ps.some((p) => p.id.startsWith('self-registration')));
  });

  interface ApiCall {
    readonly name: string;
    readonly expect: Expect;
    readonly run: (key: string | null) => Promise<{ status: number; body: { error?: { code: string } } }>;
  }

  const call = (method: 'get' | 'post' | 'patch' | 'delete', path: string, key: string | null, body?: object) => {
    let req = supertest(t.sandbox.app)[method](`${API}${path}`);
    if (key) req = req.set('Authorization', `Bearer ${key}`);
    return (body ? req.send(body) : req) as unknown as Promise<{ status: number; body: { error?: { code: string } } }>;
  };

  const apiCalls = (): ApiCall[] => [
    { name: 'GET /tokens', expect: [401, 403, 403, 200, 200], run: (k) => call('get', '/tokens', k) },
    { name: 'POST /tokens', expect: [401, 403, 403, 201, 201], run: (k) => call('post', '/tokens', k, { item: `topic:${topicId}`, nickname: 'api' }) },
    { name: 'GET /tokens/:id', expect: [401, 403, 403, 200, 200], run: async (k) => call('get', `/tokens/${await freshToken('api get')}`, k) },
    { name: 'PATCH /tokens/:id', expect: [401, 403, 403, 200, 200], run: async (k) => call('patch', `/tokens/${await freshToken('api patch')}`, k, { nickname: 'patched' }) },
    { name: 'POST /tokens/:id/disable', expect: [401, 403, 403, 200, 200], run: async (k) => call('post', `/tokens/${await freshToken('api off')}/disable`, k) },
    { name: 'POST /tokens/:id/enable', expect: [401, 403, 403, 200, 200], run: async (k) => call('post', `/tokens/${await freshToken('api on')}/enable`, k) },
    { name: 'DELETE /tokens/:id', expect: [401, 403, 403, 204, 204], run: async (k) => call('delete', `/tokens/${await freshToken('api delete')}`, k) },
    { name: 'GET /tokens/:id/registrations', expect: [401, 403, 403, 200, 200], run: async (k) => call('get', `/tokens/${await freshToken('api regs')}/registrations`, k) },
    { name: 'GET /audit', expect: [401, 403, 403, 200, 200], run: (k) => call('get', '/audit', k) },
  ];

  it('API calls answer each key owner as expected (401 without a key, 403 PERMISSION.DENIED for learners)', async () => {
    const table: string[] = [];
    const failures: string[] = [];
    for (const api of apiCalls()) {
      const got: number[] = [];
      for (const role of ROLES) {
        const res = await api.run(keys[role]);
        got.push(res.status);
        if (res.status === 403 && res.body.error?.code !== 'PERMISSION.DENIED') failures.push(`${api.name} as ${role}: 403 with ${res.body.error?.code}`);
        if (res.status === 401 && res.body.error?.code !== 'AUTH.REQUIRED') failures.push(`${api.name} as ${role}: 401 with ${res.body.error?.code}`);
      }
      table.push(`${api.name.padEnd(36)} ${got.join(' ')}`);
      if (JSON.stringify(got) !== JSON.stringify(api.expect)) failures.push(`${api.name}: expected ${api.expect.join(' ')}, got ${got.join(' ')}`);
    }
    expect(failures, table.join('\n')).to.deep.equal([]);
  });

  it('API calls ignore the session: every role’s cookies alone get 401', async () => {
    for (const role of ROLES) {
      const res = await agentOf(role).get(`${API}/tokens`);
      expect(res.status, role).to.equal(401);
    }
  });
});
