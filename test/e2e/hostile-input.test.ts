/*
 * Hostile input against every route the plugin mounts: NUL bytes, control characters and
 * oversized values in paths, query strings and bodies are answered with a clear 4xx (or the
 * page's own refusal), never a 500, and nothing is written on refusal.
 */
import { expect } from 'chai';
import supertest from 'supertest';
import { NO_LIMITS, startRegistrationSandbox, type RegistrationSandbox } from './registration-helpers.js';
import { signIn, type Person } from '../support/sign-in.js';
import { createApiKey } from './token-management.fixtures.js';
import { fill, mountedRoutes, type MountedRoute } from './hostile-input.helpers.js';

const HOSTILE = ['a\u0000b', '\u0000', 'x'.repeat(5000), '%00', '../../etc/passwd', "' OR 1=1 --", '<script>alert(1)</script>', '\u202e\u0085\u0001'];

/**
 * Tables that may change on a refusal, by design: sessions, the abuse counters (a refused attempt
 * counts), and the form drafts that keep what an admin typed when a form is refused.
 */
const WRITTEN_ON_REFUSAL = new Set(['sandbox_sessions', 'selfreg_rate_limits', 'selfreg_form_drafts']);

describe('hostile input: every mounted route answers 4xx or a clear page, never a 500', function () {
  this.timeout(180_000);
  let s: RegistrationSandbox;
  let admin: Person;
  let key: string;
  let routes: MountedRoute[];
  let tokenId: string;

  before(async () => {
    s = await startRegistrationSandbox({ options: NO_LIMITS });
    admin = await signIn(s.t, 'Super admin');
    key = await createApiKey(admin, 'Fuzz');
    tokenId = (await s.token(s.items.topic.ref, { nickname: 'Fuzz' })).id;
    routes = mountedRoutes(s.plugin.container);
  });
  after(() => s?.close());

  let tables: string[] = [];
  const counts = async () => {
    if (tables.length === 0) {
      const rows = await s.knex('information_schema.tables').where({ table_schema: 'public', table_type: 'BASE TABLE' }).select<{ table_name: string }[]>('table_name');
      tables = rows.map((r) => r.table_name).filter((t) => /^(selfreg|sandbox)_/.test(t) && !WRITTEN_ON_REFUSAL.has(t)).sort();
    }
    return Object.fromEntries(await Promise.all(tables.map(async (t) => [t, Number((await s.knex(t).count({ n: '*' }).first())!.n)])));
  };

  function request(route: MountedRoute, path: string) {
    const agent = route.kind === 'admin' ? admin.agent : supertest(s.t.sandbox.app);
    const req = agent[route.method](path);
    return route.kind === 'api' ? req.set('Authorization', `Bearer ${key}`) : req;
  }

  it('finds the routes it walks from the routers themselves', () => {
    expect(routes.length).to.be.greaterThan(25);
    expect(routes.map((r) => `${r.method} ${r.pattern}`)).to.include.members(['get /register/:code', 'post /register', 'get /api/self-registration/v1/tokens']);
  });

  it('hostile path parameters and query strings', async () => {
    const before = await counts();
    const failures: string[] = [];
    for (const route of routes) {
      for (const value of HOSTILE) {
        const path = `${fill(route.pattern, value, { type: 'topic' })}?returnTo=${encodeURIComponent(value)}&q=${encodeURIComponent(value)}&cursor=${encodeURIComponent(value)}`;
        const res = await request(route, path);
        if (res.status >= 500) failures.push(`${route.method.toUpperCase()} ${path.slice(0, 120)} → ${res.status}`);
      }
    }
    expect(failures).to.deep.equal([]);
    expect(await counts()).to.deep.equal(before);
  });

  it('hostile form and JSON bodies on every route that takes one', async () => {
    const failures: string[] = [];
    const fields = ['firstName', 'lastName', 'email', 'token', 'nickname', 'customCode', 'expiresOn', 'maxUses', 'password', 'passwordConfirm', 'name', 'returnTo', 'logoUrl', 'heading', 'recipients', 'mode', 'enabled', 'consent', '_csrf'];
    for (const route of routes.filter((r) => r.method !== 'get')) {
      for (const value of HOSTILE) {
        const body = Object.fromEntries(fields.map((f) => [f, f === '_csrf' && route.kind === 'admin' ? admin.csrf : value]));
        const path = fill(route.pattern, String(tokenId), { type: 'topic', id: route.pattern.includes('/items/') ? s.items.topic.id : tokenId });
        const before = await counts();
        const res = route.kind === 'api' ? await request(route, path).send(body) : await request(route, path).type('form').send(body);
        if (res.status >= 500) failures.push(`${route.method.toUpperCase()} ${path} ${JSON.stringify(value).slice(0, 20)} → ${res.status}`);
        if (res.status >= 400) {
          const after = await counts();
          if (JSON.stringify(after) !== JSON.stringify(before)) failures.push(`${route.method.toUpperCase()} ${path} wrote on refusal (${res.status})`);
        }
      }
    }
    expect(failures).to.deep.equal([]);
  });

  it('an email holding a control or invisible character is refused on the form, creating no one and sending nothing', async () => {
    const code = (await s.token(s.items.topic.ref, { nickname: 'Emails' })).code!;
    const before = await counts();
    for (const email of ['ada\u0001@example.com', 'ada\u007f@example.com', 'ada\u0085@example.com', 'ad\u200ba@example.com', 'ad\u00ada@example.com', 'a\u202eda@example.com']) {
      const res = await supertest(s.t.sandbox.app).post('/register').type('form').send({ firstName: 'Ada', lastName: 'Lovelace', email, token: code });
      expect(res.status, JSON.stringify(email)).to.equal(422);
      expect(res.text).to.contain('holds an invisible or control character');
    }
    expect(await counts()).to.deep.equal(before);
  });

  it('an address mixing scripts (a Cyrillic а in “аdmin”) is accepted: admins are shown it is mixed', async () => {
    const code = (await s.token(s.items.topic.ref, { nickname: 'Mixed' })).code!;
    const res = await supertest(s.t.sandbox.app).post('/register').type('form').send({ firstName: 'Ada', lastName: 'Lovelace', email: '\u0430dmin@acme.test', token: code });
    expect(res.status).to.be.lessThan(400);
    expect(await s.knex('sandbox_users').where({ email: '\u0430dmin@acme.test' }).first()).to.not.equal(undefined);
    // Where admins see it, it is marked; an ordinary address is not.
    const report = (await admin.agent.get('/admin/self-registration/reports/registrations').expect(200)).text;
    const row = report.split('\u0430dmin@acme.test')[1]!.slice(0, 400);
    expect(row).to.contain('mixed scripts');
    expect(report.match(/mixed scripts<\/span>/g)).to.have.length(1);
  });
});
