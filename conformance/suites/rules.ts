/*
 * Profile `rules` (1.1, feature enrolment.rules): enrolments that record their source
 * (enrolments.enrolFrom), withdrawal of one's own enrolments unless the learner started
 * (enrolments.withdraw), users by type in pages (users.listByType); where the host offers them, the
 * set-based forms (users.selectByType, enrolments.enrolSelected), the source and `also` enrolments of
 * createEnrolled(Statement), and enrolment.deleted when the host removes an enrolment.
 */
import type { EnrolmentSource, KnowledgeRef, SqlSelect } from '../../src/contract/index.js';
import { inRolledBack } from '../kit/context.js';
import type { KitContext } from '../kit/context.js';
import { check, checkEqual, suite } from '../kit/define.js';
import type { RulesControls } from '../kit/types.js';
import { listen } from './events.js';
import { newcomer, WAYS } from './fast-paths.js';

const RULE: EnrolmentSource = { kind: 'rule', ref: 'kit-rule-1' };
const OTHER_RULE: EnrolmentSource = { kind: 'rule', ref: 'kit-rule-2' };
const TOKEN: EnrolmentSource = { kind: 'token', ref: 'kit-token-1' };

async function learnerAndItem(ctx: KitContext): Promise<{ userId: string; item: KnowledgeRef }> {
  const user = await ctx.hut.makeUser({ type: 'prospect' });
  return { userId: user.id, item: (await ctx.hut.makeItem({ type: 'topic', origin: 'own' })).ref };
}

function controls(ctx: KitContext): RulesControls {
  check(ctx.hut.rules, 'a host declaring rules gives the kit its rules controls (startLearning, removeEnrolment)');
  return ctx.hut.rules;
}

const enrolments = (ctx: KitContext) => ctx.host.enrolments as Required<typeof ctx.host.enrolments>;

export const enrolFromSuite = suite('rules', 'enrol-from', {
  'keeps-first-source': ['enrolments.enrolFrom enrols once: again (any source) says created=false, and the enrolment keeps the source it was made with', async (ctx) => {
    const { userId, item } = await learnerAndItem(ctx);
    checkEqual(await enrolments(ctx).enrolFrom(userId, item, RULE), { created: true }, 'the first enrolFrom');
    checkEqual(await enrolments(ctx).enrolFrom(userId, item, TOKEN), { created: false }, 'again with another source');
    checkEqual(await ctx.host.enrolments.enrol(userId, item), { created: false }, 'enrol() of the same person and item');
    check(await ctx.host.enrolments.isEnrolled(userId, item), 'enrolled');
    checkEqual(await enrolments(ctx).withdraw(userId, item, { source: TOKEN }), { withdrawn: false, reason: 'other_source' }, 'withdrawing as the later source');
    checkEqual(await enrolments(ctx).withdraw(userId, item, { source: RULE }), { withdrawn: true }, 'withdrawing as the first source');
  }],
  'plain-enrol-is-other': ['an enrolment made by enrol() (or any other way) is no rule’s: withdraw as a rule answers other_source', async (ctx) => {
    const { userId, item } = await learnerAndItem(ctx);
    await ctx.host.enrolments.enrol(userId, item);
    checkEqual(await enrolments(ctx).withdraw(userId, item, { source: RULE }), { withdrawn: false, reason: 'other_source' }, 'withdrawing a plain enrolment as a rule');
    check(await ctx.host.enrolments.isEnrolled(userId, item), 'still enrolled');
  }],
  'parallel-once': ['enrolments.enrolFrom in parallel transactions: one enrolment, one created=true', async (ctx) => {
    const { userId, item } = await learnerAndItem(ctx);
    const results = await Promise.all(Array.from({ length: 5 }, (_, i) => ctx.knex.transaction((trx) => enrolments(ctx).enrolFrom(userId, item, i % 2 ? RULE : TOKEN, trx))));
    checkEqual(results.filter((r) => r.created).length, 1, 'created of 5 parallel enrolFrom');
  }],
  'events-and-rollback': ['enrolments.enrolFrom raises enrolment.created after its commit only; on a rolled-back transaction it leaves nothing', async (ctx) => {
    const { userId, item } = await learnerAndItem(ctx);
    const seen = listen(ctx, 'enrolment.created', (p) => p.userId === userId);
    const inside = await inRolledBack(ctx.knex, async (trx) => {
      await enrolments(ctx).enrolFrom(userId, item, RULE, trx);
      return ctx.host.enrolments.isEnrolled(userId, item, trx);
    });
    check(inside, 'enrolled inside the transaction');
    await ctx.settle(10);
    check(!(await ctx.host.enrolments.isEnrolled(userId, item)), 'not enrolled after the rollback');
    checkEqual(seen.length, 0, 'events after the rollback');
    await ctx.knex.transaction(async (trx) => {
      await enrolments(ctx).enrolFrom(userId, item, RULE, trx);
      await ctx.settle();
      checkEqual(seen.length, 0, 'events while the transaction is open');
    });
    await ctx.waitFor(() => seen.length === 1, 'enrolment.created after the commit');
    checkEqual(seen[0], { userId, item: { type: item.type, id: item.id } }, 'its payload');
  }],
});

export const withdrawSuite = suite('rules', 'withdraw', {
  'not-enrolled': ['enrolments.withdraw of an enrolment that does not exist answers not_enrolled, never throws', async (ctx) => {
    const { userId, item } = await learnerAndItem(ctx);
    checkEqual(await enrolments(ctx).withdraw(userId, item, { source: RULE }), { withdrawn: false, reason: 'not_enrolled' }, 'someone not enrolled');
    for (const id of ['not-an-id', '0', '00000000-0000-0000-0000-000000000000']) {
      checkEqual(await enrolments(ctx).withdraw(id, item, { source: RULE }), { withdrawn: false, reason: 'not_enrolled' }, `an unknown user ${id}`);
    }
  }],
  'own-source': ['enrolments.withdraw removes an enrolment of exactly that source (kind and ref), raising no enrolment.deleted; it can be made again', async (ctx) => {
    const { userId, item } = await learnerAndItem(ctx);
    await enrolments(ctx).enrolFrom(userId, item, RULE);
    const deleted = listen(ctx, 'enrolment.deleted', (p) => p.userId === userId);
    checkEqual(await enrolments(ctx).withdraw(userId, item, { source: OTHER_RULE }), { withdrawn: false, reason: 'other_source' }, 'another rule');
    checkEqual(await enrolments(ctx).withdraw(userId, item, { source: { kind: 'rule' } }), { withdrawn: false, reason: 'other_source' }, 'a rule without the ref');
    checkEqual(await enrolments(ctx).withdraw(userId, item, { source: RULE }), { withdrawn: true }, 'the rule that made it');
    check(!(await ctx.host.enrolments.isEnrolled(userId, item)), 'not enrolled afterwards');
    checkEqual(await enrolments(ctx).withdraw(userId, item, { source: RULE }), { withdrawn: false, reason: 'not_enrolled' }, 'withdrawing again');
    await ctx.settle(10);
    checkEqual(deleted.length, 0, 'enrolment.deleted raised for a withdrawal');
    checkEqual(await enrolments(ctx).enrolFrom(userId, item, RULE), { created: true }, 'enrolling again afterwards');
  }],
  started: ['enrolments.withdraw keeps an enrolment the learner has started: started', async (ctx) => {
    const { userId, item } = await learnerAndItem(ctx);
    await enrolments(ctx).enrolFrom(userId, item, RULE);
    await controls(ctx).startLearning(userId, item);
    checkEqual(await enrolments(ctx).withdraw(userId, item, { source: RULE }), { withdrawn: false, reason: 'started' }, 'withdrawing a started enrolment');
    check(await ctx.host.enrolments.isEnrolled(userId, item), 'still enrolled');
  }],
  'rolls-back': ['enrolments.withdraw on a transaction that rolls back leaves the enrolment', async (ctx) => {
    const { userId, item } = await learnerAndItem(ctx);
    await enrolments(ctx).enrolFrom(userId, item, RULE);
    const inside = await inRolledBack(ctx.knex, async (trx) => {
      const answer = await enrolments(ctx).withdraw(userId, item, { source: RULE }, trx);
      return { answer, enrolled: await ctx.host.enrolments.isEnrolled(userId, item, trx) };
    });
    checkEqual(inside, { answer: { withdrawn: true }, enrolled: false }, 'inside the transaction');
    check(await ctx.host.enrolments.isEnrolled(userId, item), 'enrolled again after the rollback');
  }],
});

async function pageThrough(ctx: KitContext, types: ('staff' | 'client' | 'prospect')[], limit: number) {
  const seen: { id: string; type: string }[] = [];
  let after: string | null = null;
  for (let pages = 0; ; pages++) {
    check(pages < 10000, 'listByType ends (next becomes null)');
    const page = await ctx.host.users.listByType!({ types, limit, ...(after !== null && { after }) });
    check(page.users.length <= limit, `a page holds at most ${limit} users, got ${page.users.length}`);
    seen.push(...page.users);
    if (page.next === null) break;
    check(typeof page.next === 'string' && page.next !== after, 'next is a new cursor');
    after = page.next;
  }
  return seen;
}

export const usersByTypeSuite = suite('rules', 'users', {
  'list-by-type-pages': ['users.listByType pages through every user of the types, each once, no one of another type, next null after the last page', async (ctx) => {
    const prospects = [await ctx.hut.makeUser({ type: 'prospect' }), await ctx.hut.makeUser({ type: 'prospect' }), await ctx.hut.makeUser({ type: 'prospect' })];
    const clients = [await ctx.hut.makeUser({ type: 'client' }), await ctx.hut.makeUser({ type: 'client' })];
    const staff = await ctx.hut.makeUser({ type: 'staff', role: 'super_admin' });
    const listed = await pageThrough(ctx, ['prospect'], 2);
    const ids = listed.map((u) => u.id);
    checkEqual(ids.length, new Set(ids).size, 'each user once across the pages');
    check(listed.every((u) => u.type === 'prospect'), 'only prospects');
    check(prospects.every((p) => ids.includes(p.id)), 'every prospect made');
    checkEqual(listed.find((u) => u.id === prospects[0]!.id), prospects[0], 'a listed user is the user findById answers');
    const both = (await pageThrough(ctx, ['prospect', 'client'], 3)).map((u) => u.id);
    check([...prospects, ...clients].every((p) => both.includes(p.id)) && !both.includes(staff.id), 'two types: both, and not the staff member');
    checkEqual((await ctx.host.users.listByType!({ types: [], limit: 10 })).users, [], 'no types, nobody');
  }],
  'list-by-type-refuses': ['users.listByType throws for an unknown type, a limit out of 1 to 5,000, or a cursor it never handed out', async (ctx) => {
    const refused = async (what: string, query: Parameters<NonNullable<typeof ctx.host.users.listByType>>[0]) => {
      let threw = false;
      try {
        await ctx.host.users.listByType!(query);
      } catch {
        threw = true;
      }
      check(threw, `listByType refuses ${what}`);
    };
    await refused('an unknown type', { types: ['wizard' as never], limit: 10 });
    await refused('a limit of 0', { types: ['prospect'], limit: 0 });
    await refused('a limit of 5,001', { types: ['prospect'], limit: 5001 });
    await refused('a cursor it never handed out', { types: ['prospect'], limit: 10, after: "not a cursor' or '1'='1" });
    checkEqual((await ctx.host.users.listByType!({ types: ['prospect'], limit: 5000 })).users.length > 0, true, 'a limit of 5,000 is taken');
  }],
  'select-by-type': ['users.selectByType is a plain SELECT of id (text), email and type for every user of the types, joinable in a statement', async (ctx) => {
    const prospect = await ctx.hut.makeUser({ type: 'prospect' });
    const client = await ctx.hut.makeUser({ type: 'client' });
    const select = ctx.host.users.selectByType!(['prospect']);
    check(/^\s*select\b/i.test(select.sql), 'a SELECT');
    const rows = ((await ctx.knex.raw(`select s.id, s.email, s.type from (${select.sql}) as s where s.id in (?, ?)`, [...select.bindings, prospect.id, client.id] as never)) as { rows: { id: unknown; email: string; type: string }[] }).rows;
    checkEqual(rows.map((r) => ({ id: r.id, email: r.email, type: r.type })), [{ id: prospect.id, email: prospect.email, type: 'prospect' }], 'the prospect, id as text, and not the client');
  }, ['users.selectByType']],
});

const rowsOf = (rows: readonly [string, KnowledgeRef][]): SqlSelect => ({
  sql: rows.map(() => 'select ?::text as user_id, ?::text as item_type, ?::text as item_id').join(' union all '),
  bindings: rows.flatMap(([u, i]) => [u, i.type, i.id]),
});

export const enrolSelectedSuite = suite('rules', 'enrol-selected', {
  'enrols-rows': ['enrolments.enrolSelected enrols every row of the select with the source, skips existing enrolments and rows naming nobody or nothing, answers how many it created', async (ctx) => {
    const a = await learnerAndItem(ctx);
    const b = await ctx.hut.makeUser({ type: 'prospect' });
    const other = (await ctx.hut.makeItem({ type: 'article', origin: 'own' })).ref;
    await ctx.host.enrolments.enrol(a.userId, other);
    const select = rowsOf([[a.userId, a.item], [b.id, a.item], [a.userId, other], ['not-an-id', a.item], [b.id, { type: 'topic', id: 'not-an-id' }], [b.id, { type: 'topic', id: other.id }]]);
    checkEqual(await ctx.host.enrolments.enrolSelected!(select, RULE), { created: 2 }, 'created');
    check(await ctx.host.enrolments.isEnrolled(a.userId, a.item) && await ctx.host.enrolments.isEnrolled(b.id, a.item), 'both enrolled in the item');
    check(!(await ctx.host.enrolments.isEnrolled(b.id, other)), 'not enrolled in an item asked under the wrong type');
    checkEqual(await enrolments(ctx).withdraw(b.id, a.item, { source: RULE }), { withdrawn: true }, 'the enrolment has the given source');
    checkEqual(await enrolments(ctx).withdraw(a.userId, other, { source: RULE }), { withdrawn: false, reason: 'other_source' }, 'the existing enrolment kept its own');
    checkEqual(await ctx.host.enrolments.enrolSelected!(select, RULE), { created: 1 }, 'again: only the withdrawn one');
  }, ['enrolments.enrolSelected']],
  'rolls-back': ['enrolments.enrolSelected on a transaction that rolls back leaves nothing', async (ctx) => {
    const a = await learnerAndItem(ctx);
    await inRolledBack(ctx.knex, (trx) => ctx.host.enrolments.enrolSelected!(rowsOf([[a.userId, a.item]]), RULE, trx));
    check(!(await ctx.host.enrolments.isEnrolled(a.userId, a.item)), 'not enrolled after the rollback');
  }, ['enrolments.enrolSelected']],
});

export const createEnrolledRulesSuite = WAYS.flatMap((way) => suite('rules', way.area, {
  'source-and-also': [`${way.name} with options: the enrolment has the given source and the \`also\` items are enrolled too, each with its own source (an unknown item skipped)`, async (ctx) => {
    await ctx.hut.setSeatsLeft(null);
    const item = (await ctx.hut.makeItem({ type: 'topic', origin: 'own' })).ref;
    const second = (await ctx.hut.makeItem({ type: 'article', origin: 'own' })).ref;
    const third = (await ctx.hut.makeItem({ type: 'pathway', origin: 'own' })).ref;
    const input = newcomer(ctx, 'ruled');
    const enrolled = listen(ctx, 'enrolment.created', (p) => [item.id, second.id, third.id].includes(p.item.id));
    const also = [{ item: second, source: RULE }, { item: third, source: OTHER_RULE }, { item: second, source: OTHER_RULE }, { item: { type: 'topic' as const, id: 'not-an-id' }, source: RULE }];
    const attempt = await way.attempt(ctx, input, item, { source: TOKEN, also });
    check(attempt.result?.kind === 'created', `created, got ${JSON.stringify(attempt.result ?? String(attempt.error))}`);
    const userId = attempt.result.kind === 'created' ? attempt.result.user.id : '';
    for (const ref of [item, second, third]) check(await ctx.host.enrolments.isEnrolled(userId, ref), `enrolled in the ${ref.type}`);
    await ctx.waitFor(() => enrolled.length === 3, 'enrolment.created for the item and both further items');
    checkEqual(await enrolments(ctx).withdraw(userId, second, { source: OTHER_RULE }), { withdrawn: false, reason: 'other_source' }, 'the first `also` entry of an item wins');
    checkEqual(await enrolments(ctx).withdraw(userId, second, { source: RULE }), { withdrawn: true }, 'the further item’s own source');
    checkEqual(await enrolments(ctx).withdraw(userId, third, { source: OTHER_RULE }), { withdrawn: true }, 'the other further item’s source');
    checkEqual(await enrolments(ctx).withdraw(userId, item, { source: RULE }), { withdrawn: false, reason: 'other_source' }, 'the registration’s enrolment is not a rule’s');
    checkEqual(await enrolments(ctx).withdraw(userId, item, { source: TOKEN }), { withdrawn: true }, 'the registration’s enrolment has the token source');
  }, [way.part]],
}));

export const enrolmentDeletedSuite = suite('rules', 'events', {
  'enrolment-deleted': ['the host raises enrolment.deleted after an admin removed an enrolment: who, what, its source, removedBy admin', async (ctx) => {
    const { userId, item } = await learnerAndItem(ctx);
    const plain = (await ctx.hut.makeItem({ type: 'article', origin: 'own' })).ref;
    await enrolments(ctx).enrolFrom(userId, item, RULE);
    await ctx.host.enrolments.enrol(userId, plain);
    const seen = listen(ctx, 'enrolment.deleted', (p) => p.userId === userId);
    await controls(ctx).removeEnrolment(userId, item);
    await ctx.waitFor(() => seen.length === 1, 'enrolment.deleted for the admin’s removal');
    checkEqual(seen[0], { userId, item: { type: item.type, id: item.id }, source: RULE, removedBy: 'admin' }, 'its payload');
    check(!(await ctx.host.enrolments.isEnrolled(userId, item)), 'not enrolled afterwards');
    await controls(ctx).removeEnrolment(userId, plain);
    await ctx.waitFor(() => seen.length === 2, 'enrolment.deleted for the plain enrolment');
    const { source, ...rest } = seen[1]!;
    checkEqual(rest, { userId, item: { type: plain.type, id: plain.id }, removedBy: 'admin' }, 'its payload');
    check(source === null || (source.kind === 'other' && source.ref === undefined), `a plain enrolment’s source is other (or null), got ${JSON.stringify(source)}`);
  }],
  'user-erased-delivered': ['events.on takes the 1.1 event user.erased and delivers it once raised', async (ctx) => {
    const userId = ctx.unique('erased');
    const seen = listen(ctx, 'user.erased', (p) => p.userId === userId);
    await ctx.hut.raise('user.erased', { userId });
    await ctx.waitFor(() => seen.length === 1, 'user.erased delivered');
  }],
});

export const rulesSuite = [...enrolFromSuite, ...withdrawSuite, ...usersByTypeSuite, ...enrolSelectedSuite, ...createEnrolledRulesSuite, ...enrolmentDeletedSuite];
