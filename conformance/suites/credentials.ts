/*
 * Credentials: passwords under the host's policy and on the plugin's transaction; sign-in through the
 * host's own session, which it regenerates (the old session never becomes the new person).
 */
import type { Request, Response } from 'express';
import { KIT_PASSWORD, inRolledBack } from '../kit/context.js';
import type { KitContext } from '../kit/context.js';
import { check, checkEqual, suite } from '../kit/define.js';
import { Visitor } from '../kit/visitor.js';
import { whoAmI } from './http-access.js';

/** A probe that signs the visitor in as `:id` through credentials.signIn, as the plugin's emailed link does. */
function signInProbe(ctx: KitContext): (visitor: Visitor, userId: string) => Promise<{ status: number; key: string | null }> {
  const path = ctx.probe((router) => {
    router.post('/sign-in/:id', async (req: Request, res: Response, next) => {
      try {
        await ctx.host.credentials.signIn(req, res, String(req.params.id));
        res.json({ key: ctx.host.access.sessionKey(req) });
      } catch (error) {
        next(error);
      }
    });
  });
  return async (visitor, userId) => {
    const answer = await visitor.post(`${path}/sign-in/${encodeURIComponent(userId)}`);
    return { status: answer.status, key: answer.status === 200 ? answer.json<{ key: string | null }>().key : null };
  };
}

const NEW_PASSWORD = 'A different kit password 2026!';

export const credentialsSuite = suite('credentials', 'passwords', {
  'policy-message': ['credentials.setPassword refuses what the host’s policy refuses, with a message for the person', async (ctx) => {
    const user = await ctx.hut.makeUser({ type: 'client' });
    const refused = await ctx.host.credentials.setPassword(user.id, '');
    check(!refused.ok && typeof refused.message === 'string' && refused.message.length > 0, 'an empty password is refused with a message');
    checkEqual(await ctx.host.credentials.setPassword(user.id, KIT_PASSWORD), { ok: true }, 'a strong password is accepted');
  }],
  'password-signs-in': ['a password set through credentials.setPassword signs the person in on the host’s own page', async (ctx) => {
    const user = await ctx.person({ type: 'client' });
    const who = whoAmI(ctx);
    checkEqual((await who(await ctx.signedIn(user))).user, user.id, 'signed in with the password set');
    const wrong = ctx.visitor();
    await ctx.hut.signIn(wrong, user, 'not the password at all 123', ctx.host.access.signInUrl('/'));
    checkEqual((await who(wrong)).user, null, 'a wrong password signs nobody in');
  }],
  'password-rolls-back': ['credentials.setPassword on a transaction that rolls back leaves the old password', async (ctx) => {
    const user = await ctx.person({ type: 'client' });
    const set = await inRolledBack(ctx.knex, (trx) => ctx.host.credentials.setPassword(user.id, NEW_PASSWORD, trx));
    check(set.ok, 'the new password was accepted inside the transaction');
    const who = whoAmI(ctx);
    const withNew = ctx.visitor();
    await ctx.hut.signIn(withNew, user, NEW_PASSWORD, ctx.host.access.signInUrl('/'));
    checkEqual((await who(withNew)).user, null, 'the rolled-back password does not sign in');
    checkEqual((await who(await ctx.signedIn(user))).user, user.id, 'the old password still does');
  }],
});

export const sessionsSuite = suite('credentials', 'sessions', {
  'sign-in-anonymous': ['credentials.signIn signs a visitor without a session in through the host’s session', async (ctx) => {
    const signIn = signInProbe(ctx);
    const who = whoAmI(ctx);
    const user = await ctx.hut.makeUser({ type: 'prospect' });
    const visitor = ctx.visitor();
    const answer = await signIn(visitor, user.id);
    checkEqual(answer.status, 200, 'signIn from a mounted router');
    const now = await who(visitor);
    checkEqual(now.user, user.id, 'currentUser afterwards');
    check(typeof answer.key === 'string' && answer.key === now.key, 'sessionKey right after signIn is the session the visitor now holds');
  }],
  'sign-in-regenerates': ['credentials.signIn regenerates the session: a new key, and the old cookie never becomes the new person', async (ctx) => {
    const signIn = signInProbe(ctx);
    const who = whoAmI(ctx);
    const first = await ctx.person({ type: 'client' });
    const next = await ctx.hut.makeUser({ type: 'prospect' });
    const visitor = await ctx.signedIn(first);
    const before = await who(visitor);
    const planted = visitor.clone();
    const answer = await signIn(visitor, next.id);
    checkEqual(answer.status, 200, 'signIn');
    const after = await who(visitor);
    checkEqual(after.user, next.id, 'the visitor is the new person');
    check(after.key !== null && after.key !== before.key, 'the session key changed at sign-in');
    const old = await who(planted);
    check(old.user !== next.id, 'the cookie held before sign-in does not carry the new person (session fixation)');
    check(old.key === null || old.key !== after.key, 'the old cookie does not name the new session');
  }],
  'sign-in-event': ['user.signed_in, when the host raises it, comes after sign-in with the person and an ISO time', async (ctx) => {
    const user = await ctx.person({ type: 'client' });
    const seen: { userId: string; at: string }[] = [];
    const off = ctx.host.events.on('user.signed_in', (p) => {
      if (p.userId === user.id) seen.push(p);
    });
    ctx.defer(off);
    await ctx.signedIn(user);
    await ctx.settle();
    for (const p of seen) check(!Number.isNaN(Date.parse(p.at)) && /T/.test(p.at), `at is an ISO 8601 instant, got ${p.at}`);
    check(seen.length <= 1, 'raised once per sign-in');
  }],
});

