/*
 * Profile `quarantine` (1.1, feature enrolment.quarantine): the host asks the
 * `enrolment.self_enrol` filter chain before it offers an item opened for self-enrolment to a
 * learner and before it makes the enrolment the learner asks for. Handlers run in priority order
 * (lower first), the first veto wins and is shown as it is, a throwing handler is a veto with a
 * generic message (fail closed), and leaving the chain ends a handler's say.
 */
import type { HostFilterOutcome, HostFilterPayloads, HostUser, KnowledgeRef } from '../../src/contract/index.js';
import type { KitContext } from '../kit/context.js';
import { check, checkEqual, suite } from '../kit/define.js';
import type { QuarantineControls } from '../kit/types.js';
import type { Visitor } from '../kit/visitor.js';

type Payload = HostFilterPayloads['enrolment.self_enrol'];

function controls(ctx: KitContext): QuarantineControls {
  check(ctx.hut.quarantine, 'a host declaring quarantine gives the kit its controls (openItem, offeredTo, enrolSelf)');
  return ctx.hut.quarantine;
}

/** Joins the chain for the test's length; the handler only speaks about the kit's item. */
function join(ctx: KitContext, item: KnowledgeRef, handler: (p: Payload) => Promise<HostFilterOutcome> | HostFilterOutcome, priority?: number): () => void {
  const off = ctx.host.events.filter!('enrolment.self_enrol', (p) => (p.item.id === item.id && p.item.type === item.type ? handler(p) : undefined), priority);
  check(typeof off === 'function', 'events.filter returns the function that leaves the chain');
  ctx.defer(off);
  return off;
}

async function openItem(ctx: KitContext, openTo: ('client' | 'prospect' | 'staff')[] = ['client', 'prospect']): Promise<KnowledgeRef> {
  const item = (await ctx.hut.makeItem({ type: 'topic', origin: 'own', title: ctx.unique('Open topic') })).ref;
  await controls(ctx).openItem(item, openTo);
  return item;
}

async function learner(ctx: KitContext, type: 'client' | 'prospect' = 'client'): Promise<{ user: HostUser; visitor: Visitor }> {
  const user = await ctx.person({ type });
  return { user, visitor: await ctx.signedIn(user) };
}

const veto = (message: string) => ({ veto: { code: 'kit.quarantined', message } });

export const quarantineSuite = suite('quarantine', 'self-enrol', {
  'open-offered-and-enrols': ['an item opened to a type is offered to its learners (catalogue.get says so) and they enrol themselves; others are not offered it', async (ctx) => {
    const item = await openItem(ctx, ['client']);
    checkEqual((await ctx.host.catalogue.get(item))?.selfEnrolment ?? null, { openTo: ['client'] }, 'catalogue.get tells the item’s selfEnrolment');
    const client = await learner(ctx, 'client');
    const prospect = await learner(ctx, 'prospect');
    check((await controls(ctx).offeredTo(client.visitor)).includes(item.id), 'offered to a client');
    check(!(await controls(ctx).offeredTo(prospect.visitor)).includes(item.id), 'not offered to a prospect');
    const answer = await controls(ctx).enrolSelf(client.visitor, item);
    check(answer.status < 400, `the client’s self-enrolment is accepted, got ${answer.status}`);
    check(await ctx.host.enrolments.isEnrolled(client.user.id, item), 'the client is enrolled');
    const forged = await controls(ctx).enrolSelf(prospect.visitor, item);
    check(!(await ctx.host.enrolments.isEnrolled(prospect.user.id, item)), `a prospect asking anyway is not enrolled (answered ${forged.status})`);
    await controls(ctx).openItem(item, null);
    checkEqual((await ctx.host.catalogue.get(item))?.selfEnrolment ?? null, null, 'a closed item has no selfEnrolment');
  }],
  payload: ['the chain is asked with the learner, the item and the types it is opened to, when the catalogue is shown and when the enrolment is asked for', async (ctx) => {
    const item = await openItem(ctx, ['client', 'prospect']);
    const { user, visitor } = await learner(ctx);
    const asked: Payload[] = [];
    join(ctx, item, (p) => void asked.push(p));
    await controls(ctx).offeredTo(visitor);
    check(asked.length >= 1, 'asked while the catalogue is shown');
    const shown = asked.length;
    await controls(ctx).enrolSelf(visitor, item);
    check(asked.length > shown, 'asked again when the enrolment is asked for');
    const p = asked[0]!;
    checkEqual([p.user.id, p.user.email, p.user.type], [user.id, user.email, 'client'], 'the payload’s user');
    checkEqual(p.item, { type: item.type, id: item.id }, 'the payload’s item');
    checkEqual([...p.openTo].sort(), ['client', 'prospect'], 'the payload’s openTo');
  }],
  'veto-hides-and-refuses': ['a veto hides the item from that learner and refuses their enrolment with the veto’s message; others are unaffected', async (ctx) => {
    const item = await openItem(ctx);
    const barred = await learner(ctx);
    const other = await learner(ctx);
    join(ctx, item, (p) => (p.user.id === barred.user.id ? veto('Kit quarantine says not yet') : undefined));
    check(!(await controls(ctx).offeredTo(barred.visitor)).includes(item.id), 'not offered to the vetoed learner');
    const refused = await controls(ctx).enrolSelf(barred.visitor, item);
    check(refused.text.includes('Kit quarantine says not yet'), 'the refusal shows the veto’s message');
    check(!(await ctx.host.enrolments.isEnrolled(barred.user.id, item)), 'the vetoed learner is not enrolled');
    check((await controls(ctx).offeredTo(other.visitor)).includes(item.id), 'still offered to another learner');
    await controls(ctx).enrolSelf(other.visitor, item);
    check(await ctx.host.enrolments.isEnrolled(other.user.id, item), 'another learner enrols');
  }],
  'priority-first-veto-wins': ['handlers run lowest priority first and the first veto wins: later handlers are not asked', async (ctx) => {
    const item = await openItem(ctx);
    const { user, visitor } = await learner(ctx);
    const calls: number[] = [];
    join(ctx, item, () => void calls.push(30), 30);
    join(ctx, item, () => {
      calls.push(20);
      return veto('Vetoed at twenty');
    }, 20);
    join(ctx, item, () => void calls.push(10), 10);
    const answer = await controls(ctx).enrolSelf(visitor, item);
    checkEqual(calls.slice(-2), [10, 20], 'the handlers asked for the enrolment, in order');
    check(!calls.includes(30), 'the handler after the veto is never asked');
    check(answer.text.includes('Vetoed at twenty'), 'the first veto’s message');
    check(!(await ctx.host.enrolments.isEnrolled(user.id, item)), 'not enrolled');
  }],
  'throwing-is-veto': ['a handler that throws or rejects is a veto (fail closed) with a generic message, never its error', async (ctx) => {
    for (const how of ['throws', 'rejects'] as const) {
      const item = await openItem(ctx);
      const { user, visitor } = await learner(ctx);
      join(ctx, item, how === 'throws' ? () => {
        throw new Error('kit-internal-detail');
      } : async () => {
        throw new Error('kit-internal-detail');
      });
      check(!(await controls(ctx).offeredTo(visitor)).includes(item.id), `not offered when a handler ${how}`);
      const answer = await controls(ctx).enrolSelf(visitor, item);
      check(!(await ctx.host.enrolments.isEnrolled(user.id, item)), `not enrolled when a handler ${how}`);
      check(!answer.text.includes('kit-internal-detail'), 'the handler’s error is not shown');
      check(answer.status < 500, `the host answers the learner, not an error page, got ${answer.status}`);
    }
  }],
  'silent-is-veto': ['a handler that never answers is a veto once the host’s own timeout passes (fail closed)', async (ctx) => {
    const item = await openItem(ctx);
    const { user, visitor } = await learner(ctx);
    join(ctx, item, () => new Promise<undefined>(() => undefined));
    const answer = await controls(ctx).enrolSelf(visitor, item);
    check(!(await ctx.host.enrolments.isEnrolled(user.id, item)), 'not enrolled while a handler stays silent');
    check(answer.status < 500, `the host answers the learner, not an error page, got ${answer.status}`);
  }],
  'leave-chain': ['the function events.filter returns leaves the chain: the handler has no say afterwards', async (ctx) => {
    const item = await openItem(ctx);
    const { user, visitor } = await learner(ctx);
    const off = join(ctx, item, () => veto('Gone soon'));
    check(!(await controls(ctx).offeredTo(visitor)).includes(item.id), 'vetoed while in the chain');
    off();
    check((await controls(ctx).offeredTo(visitor)).includes(item.id), 'offered once it left');
    await controls(ctx).enrolSelf(visitor, item);
    check(await ctx.host.enrolments.isEnrolled(user.id, item), 'and enrolled');
  }],
});
