/*
 * Core: mounting routers (after the host's session and body parsers, errors to its one final error
 * handler, unmount removes the router entirely) and access control (who is signed in, the session
 * key, sign-in URLs that return to same-origin paths only).
 */
import type { Request } from 'express';
import knexFactory from 'knex';
import type { KitContext } from '../kit/context.js';
import { check, checkEqual, suite } from '../kit/define.js';
import type { Visitor } from '../kit/visitor.js';
import { sameOrigin } from './data-ports.js';

/** A probe answering who the host says is asking, and its session key. */
export function whoAmI(ctx: KitContext): (visitor: Visitor) => Promise<{ user: string | null; key: string | null }> {
  const path = ctx.probe((router) => {
    router.get('/who', async (req: Request, res) => {
      const user = await ctx.host.access.currentUser(req);
      res.json({ user: user?.id ?? null, key: ctx.host.access.sessionKey(req) });
    });
  });
  return async (visitor) => (await visitor.get(`${path}/who`)).json();
}

export const httpSuite = suite('core', 'http', {
  'mount-and-unmount': ['http.mount serves a router under its path; unmount removes it entirely', async (ctx) => {
    let calls = 0;
    const router = (await import('express')).default.Router();
    router.get('/ping', (_req, res) => {
      calls += 1;
      res.type('text/plain').send('pong');
    });
    const path = `/conformance-${ctx.unique('mount')}`;
    const mounted = ctx.host.http.mount(path, router, 'public');
    ctx.defer(() => mounted.unmount());
    const visitor = ctx.visitor();
    const answer = await visitor.get(`${path}/ping`);
    checkEqual([answer.status, answer.text], [200, 'pong'], 'the mounted router answers');
    mounted.unmount();
    const gone = await visitor.get(`${path}/ping`);
    checkEqual(gone.status, 404, 'after unmount the path is the host’s 404');
    checkEqual(calls, 1, 'the unmounted router is not called again');
    const again = ctx.host.http.mount(path, router, 'public');
    ctx.defer(() => again.unmount());
    await visitor.get(`${path}/ping`);
    checkEqual(calls, 2, 'mounted again, the router answers once per request (never doubled)');
  }],
  'after-body-parsers': ['mounted routers see the host’s parsed form bodies', async (ctx) => {
    const path = ctx.probe((router) => {
      router.post('/echo', (req, res) => res.json({ body: (req.body ?? null) as unknown }));
    });
    const answer = await ctx.visitor().post(`${path}/echo`, { name: 'Grace', note: 'a & b' });
    checkEqual(answer.json<{ body: unknown }>().body, { name: 'Grace', note: 'a & b' }, 'the form body as parsed by the host');
  }],
  'errors-reach-one-handler': ['an error passed on by a router gets the host’s generic error page: no message, stack or SQL', async (ctx) => {
    const secret = `select * from secret_table_${ctx.unique('x')}`;
    const path = ctx.probe((router) => {
      router.get('/fail', (_req, _res, next) => next(new Error(`relation violates ${secret}`)));
      router.get('/throw', async () => {
        throw new Error(`thrown ${secret}`);
      });
    });
    for (const where of ['fail', 'throw']) {
      const answer = await ctx.visitor().get(`${path}/${where}`);
      checkEqual(answer.status, 500, `${where}: the status`);
      check(!answer.text.includes(secret) && !/\bat .+\.(ts|js):\d+/.test(answer.text), `${where}: the page shows neither the message nor a stack`);
    }
    const after = await ctx.visitor().get(`${path}/missing`);
    checkEqual(after.status, 404, 'the host keeps answering after errors');
  }],
  'database-down-503': ['an error of an unreachable database, passed on by a router, gets a 503 that names no internals', async (ctx) => {
    // A PostgreSQL that is not there: the error the router passes on is what pg and knex give when the database is down.
    const down = knexFactory({ client: 'pg', connection: 'postgres://kit@127.0.0.1:1/unreachable', pool: { min: 0, max: 1 }, acquireConnectionTimeout: 3000, log: { error: () => undefined, warn: () => undefined } });
    ctx.defer(() => down.destroy());
    const path = ctx.probe((router) => {
      router.get('/query', async (_req, res, next) => {
        try {
          await down.raw('select 1');
          res.send('reachable?');
        } catch (error) {
          next(error);
        }
      });
    });
    const answer = await ctx.visitor().get(`${path}/query`);
    checkEqual(answer.status, 503, 'the status while the database is down');
    check(!/ECONNREFUSED|127\.0\.0\.1:1|unreachable|knex/i.test(answer.text), 'the page names neither the error nor the address');
  }],
});

export const accessSuite = suite('core', 'access', {
  'signed-out': ['access.currentUser is null for a visitor who is not signed in', async (ctx) => {
    const who = whoAmI(ctx);
    checkEqual((await who(ctx.visitor())).user, null, 'currentUser of a signed-out visitor');
  }],
  'signed-in': ['access.currentUser is the person signed in through the host; sessionKey is a stable string', async (ctx) => {
    const who = whoAmI(ctx);
    const user = await ctx.person({ type: 'staff', role: 'standard_admin' });
    const visitor = await ctx.signedIn(user);
    const first = await who(visitor);
    const second = await who(visitor);
    checkEqual(first.user, user.id, 'currentUser');
    check(typeof first.key === 'string' && first.key.length > 0, 'sessionKey is a string for a signed-in visitor');
    checkEqual(second.key, first.key, 'sessionKey is stable between requests');
    const other = await ctx.signedIn(await ctx.person({ type: 'client' }));
    check((await who(other)).key !== first.key, 'two sessions have two keys');
  }],
  'suspended-is-nobody': ['access.currentUser re-reads the person: a suspended account is not signed in', async (ctx) => {
    const who = whoAmI(ctx);
    const user = await ctx.hut.makeUser({ type: 'client', status: 'suspended' });
    const set = await ctx.host.credentials.setPassword(user.id, 'Conformance kit 2026 password!');
    check(set.ok, 'a password can be set for a suspended account');
    const visitor = ctx.visitor();
    await ctx.hut.signIn(visitor, user, 'Conformance kit 2026 password!', ctx.host.access.signInUrl('/'));
    checkEqual((await who(visitor)).user, null, 'currentUser for a suspended account');
  }],
  'sign-in-url-same-origin': ['access.signInUrl is a same-origin page that returns to the given path after sign-in', async (ctx) => {
    const returnTo = `/register/ABCD-EFGH-JKLM/enrol?campaign=${ctx.unique('c')}`;
    const url = ctx.host.access.signInUrl(returnTo);
    check(sameOrigin(ctx, url), `signInUrl is same-origin, got ${url}`);
    const user = await ctx.person({ type: 'client' });
    const outcome = await ctx.hut.signIn(ctx.visitor(), user, 'Conformance kit 2026 password!', url);
    check(outcome.location !== null, 'the host redirects after sign-in');
    const landed = new URL(outcome.location!, ctx.base);
    checkEqual([landed.origin, landed.pathname + landed.search], [ctx.base, returnTo], 'sign-in returns to the path given');
  }],
  'sign-in-refuses-other-origins': ['after sign-in the host never sends people to another origin, whatever returnTo says', async (ctx) => {
    const user = await ctx.person({ type: 'client' });
    for (const hostile of ['//evil.example/x', 'https://evil.example/x', '/\\evil.example/x', 'javascript:alert(1)', '\\\\evil.example', ' //evil.example']) {
      const outcome = await ctx.hut.signIn(ctx.visitor(), user, 'Conformance kit 2026 password!', ctx.host.access.signInUrl(hostile));
      const target = outcome.location === null ? ctx.base : new URL(outcome.location, ctx.base).origin;
      checkEqual(target, ctx.base, `returnTo ${JSON.stringify(hostile)} lands on`);
    }
  }],
  'settings-urls': ['access.itemSettingsUrl and portalSettingsUrl (optional) are same-origin paths', async (ctx) => {
    const item = await ctx.hut.makeItem({ type: 'topic', origin: 'own' });
    const itemUrl = ctx.host.access.itemSettingsUrl?.(item.ref);
    const portalUrl = ctx.host.access.portalSettingsUrl?.();
    if (itemUrl !== undefined) check(sameOrigin(ctx, itemUrl), `itemSettingsUrl is same-origin, got ${itemUrl}`);
    if (portalUrl !== undefined) check(sameOrigin(ctx, portalUrl), `portalSettingsUrl is same-origin, got ${portalUrl}`);
  }],
});
