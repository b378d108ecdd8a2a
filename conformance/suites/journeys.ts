/*
 * The real plugin on the host, over HTTP as people use it: an admin makes a token in the item's
 * Enrolment panel; a newcomer registers with it and becomes an enrolled prospect holding a seat; a
 * signed-out member follows the one-click link, signs in on the host's page, comes back and is enrolled.
 */
import type { HostV1, KnowledgeItem } from '../../src/contract/index.js';
import { KIT_PASSWORD } from '../kit/context.js';
import type { KitContext } from '../kit/context.js';
import { check, checkEqual, suite } from '../kit/define.js';
import { formIn } from '../kit/forms.js';
import { listen } from './events.js';
import { without } from './plugin.js';

/** A token for the item, made as an admin does: the Enrolment panel's form on the item's settings page. */
async function tokenThroughPanel(ctx: KitContext, item: KnowledgeItem): Promise<string> {
  check(ctx.hut.profiles.includes('panels'), 'this journey starts in the Enrolment panel: the host must declare panels');
  const admin = await ctx.signedIn(await ctx.person({ type: 'staff', role: 'standard_admin' }));
  const pagePath = ctx.hut.panelPage('item.settings', item.ref);
  const panel = ctx.hut.panelsIn((await admin.get(pagePath)).text).find((p) => p.id === 'self-registration.enrolment');
  check(panel, 'the Enrolment panel on the item’s settings page');
  const form = formIn(panel.html, /selfreg-create-token/);
  check(form?.action && form.hidden._csrf, 'the panel’s create-token form with its CSRF token');
  const created = await admin.post(form.action, { ...form.hidden, nickname: 'Kit campaign', customCode: '', returnTo: pagePath });
  checkEqual(created.status, 303, 'creating a token answers a redirect');
  const back = new URL(created.location!, ctx.base);
  checkEqual(back.pathname, new URL(pagePath, ctx.base).pathname, 'back to the item’s page');
  const shown = ctx.hut.panelsIn((await admin.get(back.pathname + back.search)).text).find((p) => p.id === 'self-registration.enrolment');
  const code = /<code class="selfreg-code">([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})<\/code>/.exec(shown?.html ?? '')?.[1];
  check(code, 'the new token’s code in the panel (the host passed the query string through)');
  return code;
}

/** A newcomer's registration over HTTP with the plugin started on `host` (the host, or a view of it without some fast paths). */
async function registration(ctx: KitContext, host: HostV1 = ctx.host): Promise<void> {
  const item = await ctx.hut.makeItem({ type: 'topic', origin: 'own', title: ctx.unique('Open topic') });
  await ctx.startPlugin(host);
  const code = await tokenThroughPanel(ctx, item);
  if (ctx.hut.profiles.includes('seats')) {
    await ctx.hut.setSeatsLeft(3);
    ctx.defer(() => ctx.hut.setSeatsLeft(null));
  }
  const email = ctx.email('Newcomer');
  const seenCreated = listen(ctx, 'user.created', (p) => p.user.email.toLowerCase() === email.toLowerCase());
  const visitor = ctx.visitor();
  checkEqual((await visitor.get(`/register/${code}`)).status, 200, 'the deep link');
  const done = await visitor.post('/register', { firstName: 'Nia', lastName: 'Newcomer', email, token: code, type: 'staff', role: 'super_admin' });
  checkEqual(done.status, 200, 'the registration answer');
  check(done.text.includes('Check your inbox'), 'the registrant is asked to check their inbox');
  const user = await ctx.host.users.findByEmail(email);
  check(user, 'the newcomer is a user of the host');
  checkEqual([user.type, user.role, user.status], ['prospect', null, 'active'], 'a prospect without a role (type and role come from the server)');
  check(await ctx.host.enrolments.isEnrolled(user.id, item.ref), 'enrolled in the item');
  if (ctx.hut.profiles.includes('seats')) checkEqual(await ctx.host.seats.available(), 2, 'one seat taken');
  await ctx.settle();
  check(seenCreated.length <= 1, 'user.created at most once');
}

export const journeysSuite = suite('core', 'plugin', {
  'registration-over-http': ['one registration end to end: a token made in the Enrolment panel, a newcomer registers, becomes an enrolled prospect holding a seat', (ctx) => registration(ctx)],
  'registration-over-http-one-call': ['the same registration on the host without users.createEnrolledStatement: the plugin uses users.createEnrolled in its transaction', (ctx) => registration(ctx, without(ctx.host, 'users.createEnrolledStatement')), ['users.createEnrolled']],
  'registration-over-http-1-0-ports': ['the same registration on the host without the 1.1 registration methods: seats.claim, users.create and enrolments.enrol in turn', (ctx) => registration(ctx, without(without(ctx.host, 'users.createEnrolledStatement'), 'users.createEnrolled'))],
  'one-click-through-sign-in': ['a signed-out member follows the one-click link, signs in on the host’s page, returns and is enrolled with the form’s CSRF token', async (ctx) => {
    const item = await ctx.hut.makeItem({ type: 'article', origin: 'own', title: ctx.unique('Member article') });
    await ctx.startPlugin();
    const code = await tokenThroughPanel(ctx, item);
    const member = await ctx.person({ type: 'client' });
    const visitor = ctx.visitor();
    const enrolPath = `/register/${code}/enrol`;
    const first = await visitor.get(enrolPath);
    checkEqual(first.status, 303, 'a signed-out visitor is sent to sign in');
    const signedIn = await ctx.hut.signIn(visitor, member, KIT_PASSWORD, first.location!);
    const back = new URL(signedIn.location ?? '/', ctx.base);
    checkEqual(back.pathname, enrolPath, 'after signing in the host returns to the one-click page');
    const page = await visitor.get(back.pathname + back.search);
    checkEqual(page.status, 200, 'the one-click page for the signed-in member');
    const form = formIn(page.text);
    check(form?.hidden._csrf, 'the page’s form carries a CSRF token bound to the host’s session key');
    const stale = await ctx.visitor().post(enrolPath, { _csrf: form.hidden._csrf });
    check(stale.status === 303 && !(await ctx.host.enrolments.isEnrolled(member.id, item.ref)), 'the token does nothing without the member’s session');
    const done = await visitor.post(form.action || enrolPath, form.hidden);
    checkEqual(done.status, 303, 'enrolling answers a redirect');
    checkEqual(new URL(done.location!, ctx.base).pathname, new URL(item.learnerUrl, ctx.base).pathname, 'to the item’s learner URL');
    check(await ctx.host.enrolments.isEnrolled(member.id, item.ref), 'the member is enrolled');
  }],
});
