/* Core: users, enrolments, catalogue and portal, each promise of docs/host-contract.md a test. */
import type { KnowledgeRef } from '../../src/contract/index.js';
import { inRolledBack } from '../kit/context.js';
import type { KitContext } from '../kit/context.js';
import { check, checkEqual, rejects, suite } from '../kit/define.js';

const newUser = (email: string) => ({ email, firstName: 'Ada', lastName: 'Lovelace', type: 'prospect' as const });

/** A same-origin path (`/x`), or an absolute URL under the public base URL. */
export function sameOrigin(ctx: KitContext, url: string, base = ctx.base): boolean {
  if (url.startsWith('/') && !url.startsWith('//') && !url.startsWith('/\\')) return true;
  try {
    return new URL(url).origin === new URL(base).origin;
  } catch {
    return false;
  }
}

export const usersSuite = suite('core', 'users', {
  'find-by-id-and-email': ['users.findById and findByEmail find a person, ids as strings, the whole address matched case-insensitively', async (ctx) => {
    const made = await ctx.hut.makeUser({ type: 'client', email: ctx.email('Found.Person') });
    check(typeof made.id === 'string' && made.id.length > 0, 'ids cross the contract as non-empty strings');
    checkEqual(await ctx.host.users.findById(made.id), made, 'findById returns the person');
    checkEqual(await ctx.host.users.findByEmail(made.email.toUpperCase()), made, 'findByEmail ignores case');
    check((await ctx.host.users.findByEmail(made.email.slice(1))) === null, 'findByEmail matches the whole address, not a part of it');
    check((await ctx.host.users.findByEmail(`x${made.email}`)) === null, 'findByEmail matches the whole address, not a suffix');
  }],
  'unknown-ids-are-null': ['users.findById answers null, never throws, for ids it never issued', async (ctx) => {
    for (const id of ['0', '-1', 'not-an-id', '00000000-0000-0000-0000-000000000000', '99999999', "1' or '1'='1"]) {
      check((await ctx.host.users.findById(id)) === null, `findById(${JSON.stringify(id)}) is null`);
    }
    check((await ctx.host.users.findByEmail(ctx.email('nobody'))) === null, 'findByEmail of an unknown address is null');
  }],
  'create-active-without-password': ['users.create makes an active person of the given type, without a role', async (ctx) => {
    const email = ctx.email('Pat.Prospect');
    const user = await ctx.host.users.create(newUser(email));
    check(user.type === 'prospect' && user.status === 'active' && user.role === null, `a created user is an active prospect without a role, got ${JSON.stringify(user)}`);
    checkEqual([user.email.toLowerCase(), user.firstName, user.lastName], [email.toLowerCase(), 'Ada', 'Lovelace'], 'the created user keeps what was given');
    checkEqual(await ctx.host.users.findById(user.id), user, 'the created user is found by id');
  }],
  'emails-unique-case-insensitively': ['users.create refuses an address already taken in another case', async (ctx) => {
    const email = ctx.email('unique');
    await ctx.host.users.create(newUser(email));
    await rejects(ctx.host.users.create(newUser(email.toUpperCase())), 'creating the same address in capitals must fail (a unique index on lower(email))');
    const found = await ctx.host.users.findByEmail(email);
    check(found !== null, 'the first user is still there');
  }],
  'create-rolls-back': ['users.create on a transaction that rolls back leaves nobody behind', async (ctx) => {
    const email = ctx.email('rolled-back');
    const seen = await inRolledBack(ctx.knex, async (trx) => {
      const user = await ctx.host.users.create(newUser(email), trx);
      return { user, inside: await ctx.host.users.findById(user.id, trx), byEmail: await ctx.host.users.findByEmail(email, trx) };
    });
    check(seen.inside !== null && seen.byEmail !== null, 'inside its transaction the new user is found (reads on tx see the writes on tx)');
    check((await ctx.host.users.findById(seen.user.id)) === null, 'after the rollback findById finds nobody');
    check((await ctx.host.users.findByEmail(email)) === null, 'after the rollback findByEmail finds nobody');
    const again = await ctx.host.users.create(newUser(email));
    check(again.email.toLowerCase() === email.toLowerCase(), 'the address is free again after the rollback');
  }],
  'list-admins': ['users.listAdmins (optional) returns every holder of the role and nobody else', async (ctx) => {
    const list = ctx.host.users.listAdmins?.bind(ctx.host.users);
    if (!list) return; // the fallback (the portal's primary admin) is proven by core.optional.list-admins-absent
    const boss = await ctx.hut.makeUser({ type: 'staff', role: 'super_admin' });
    const helper = await ctx.hut.makeUser({ type: 'staff', role: 'standard_admin' });
    const learner = await ctx.hut.makeUser({ type: 'client' });
    const supers = (await list('super_admin')).map((u) => u.id);
    const standards = (await list('standard_admin')).map((u) => u.id);
    check(supers.includes(boss.id) && !supers.includes(helper.id) && !supers.includes(learner.id), 'listAdmins(super_admin) lists Super admins only');
    check(standards.includes(helper.id) && !standards.includes(boss.id), 'listAdmins(standard_admin) lists Standard admins only');
  }],
});

async function enrollable(ctx: KitContext): Promise<{ userId: string; item: KnowledgeRef; other: KnowledgeRef }> {
  const user = await ctx.hut.makeUser({ type: 'client' });
  const item = await ctx.hut.makeItem({ type: 'topic', origin: 'own' });
  const other = await ctx.hut.makeItem({ type: 'article', origin: 'own' });
  return { userId: user.id, item: item.ref, other: other.ref };
}

export const enrolmentsSuite = suite('core', 'enrolments', {
  idempotent: ['enrolments.enrol is idempotent: enrolling again changes nothing and says created=false', async (ctx) => {
    const { userId, item, other } = await enrollable(ctx);
    check((await ctx.host.enrolments.isEnrolled(userId, item)) === false, 'not enrolled before');
    checkEqual(await ctx.host.enrolments.enrol(userId, item), { created: true }, 'the first enrolment');
    checkEqual(await ctx.host.enrolments.enrol(userId, item), { created: false }, 'enrolling again');
    check(await ctx.host.enrolments.isEnrolled(userId, item), 'isEnrolled after enrolling');
    check(!(await ctx.host.enrolments.isEnrolled(userId, other)), 'enrolled in that item only');
  }],
  'parallel-once': ['enrolments.enrol in parallel transactions creates one enrolment: one created=true', async (ctx) => {
    const { userId, item } = await enrollable(ctx);
    const results = await Promise.all(Array.from({ length: 5 }, () => ctx.knex.transaction((trx) => ctx.host.enrolments.enrol(userId, item, trx))));
    checkEqual(results.filter((r) => r.created).length, 1, 'exactly one parallel enrolment reports created');
    check(await ctx.host.enrolments.isEnrolled(userId, item), 'enrolled afterwards');
  }],
  'rolls-back': ['enrolments.enrol on a transaction that rolls back leaves no enrolment', async (ctx) => {
    const { userId, item } = await enrollable(ctx);
    const inside = await inRolledBack(ctx.knex, async (trx) => {
      await ctx.host.enrolments.enrol(userId, item, trx);
      return ctx.host.enrolments.isEnrolled(userId, item, trx);
    });
    check(inside, 'inside its transaction the enrolment is seen');
    check(!(await ctx.host.enrolments.isEnrolled(userId, item)), 'after the rollback nobody is enrolled');
    checkEqual(await ctx.host.enrolments.enrol(userId, item), { created: true }, 'enrolling after the rollback creates the enrolment');
  }],
});

export const catalogueSuite = suite('core', 'catalogue', {
  'get-and-list': ['catalogue.get and list give items with their ref, title, origin and same-origin learner URL', async (ctx) => {
    const own = await ctx.hut.makeItem({ type: 'pathway', origin: 'own', title: ctx.unique('Own pathway') });
    const lib = await ctx.hut.makeItem({ type: 'topic', origin: 'library', title: ctx.unique('Library topic') });
    checkEqual(await ctx.host.catalogue.get(own.ref), own, 'get returns the item');
    check(typeof own.ref.id === 'string' && own.ref.type === 'pathway', 'the ref carries the type and a string id');
    check((await ctx.host.catalogue.get(lib.ref))?.origin === 'library', 'library content says origin "library"');
    check(sameOrigin(ctx, own.learnerUrl), `learnerUrl is a same-origin path, got ${own.learnerUrl}`);
    const all = await ctx.host.catalogue.list();
    check(all.some((i) => i.ref.id === own.ref.id) && all.some((i) => i.ref.id === lib.ref.id), 'list() lists every item');
    const topics = await ctx.host.catalogue.list({ type: 'topic' });
    check(topics.every((i) => i.ref.type === 'topic') && topics.some((i) => i.ref.id === lib.ref.id), 'list({ type }) lists that type only');
  }],
  'unknown-is-null': ['catalogue.get answers null for an unknown id or the wrong type, never throws', async (ctx) => {
    const own = await ctx.hut.makeItem({ type: 'article', origin: 'own' });
    check((await ctx.host.catalogue.get({ type: 'topic', id: own.ref.id })) === null, 'an article’s id asked as a topic is no item');
    for (const id of ['not-an-id', '0', '-5', '00000000-0000-0000-0000-000000000000']) {
      check((await ctx.host.catalogue.get({ type: 'article', id })) === null, `get(${id}) is null`);
    }
  }],
  'report-url': ['catalogue.reportUrl (optional) is a same-origin path, or null', async (ctx) => {
    const reportUrl = ctx.host.catalogue.reportUrl?.bind(ctx.host.catalogue);
    if (!reportUrl) return; // the fallback (the learner URL) is proven by core.optional.report-url-absent
    const own = await ctx.hut.makeItem({ type: 'topic', origin: 'own' });
    const url = await ctx.knex.transaction((trx) => reportUrl(own.ref, trx));
    check(url === null || sameOrigin(ctx, url), `reportUrl is same-origin or null, got ${url}`);
  }],
});

export const portalSuite = suite('core', 'portal', {
  info: ['portal.info gives a name, a primary admin, the configured public base URL and a known IANA time zone', async (ctx) => {
    const info = await ctx.host.portal.info();
    check(typeof info.name === 'string' && info.name.length > 0, 'a portal name');
    check(/^[^@\s]+@[^@\s]+$/.test(info.primaryAdminEmail), `a primary admin email, got ${info.primaryAdminEmail}`);
    check(info.publicBaseUrl.replace(/\/$/, '') === ctx.base, `publicBaseUrl is the configured one (${ctx.base}), got ${info.publicBaseUrl}`);
    check(/^https?:\/\//.test(info.publicBaseUrl), 'publicBaseUrl is absolute');
    let known = true;
    try {
      new Intl.DateTimeFormat('en', { timeZone: info.timeZone });
    } catch {
      known = false;
    }
    check(known, `timeZone is an IANA name Intl knows, got ${info.timeZone}`);
  }],
});
