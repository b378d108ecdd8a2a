/*
 * Core: events. Handlers are actions: delivered after the change committed (never on rollback), a
 * throwing or rejecting handler logged and never breaking the host or the other handlers.
 */
import type { HostEventName, HostEventPayloads, Tx } from '../../src/contract/index.js';
import { inRolledBack } from '../kit/context.js';
import type { KitContext } from '../kit/context.js';
import { check, checkEqual, suite } from '../kit/define.js';

/** Subscribes for the test's length; records each payload. */
export function listen<E extends HostEventName>(ctx: KitContext, event: E, match: (p: HostEventPayloads[E]) => boolean = () => true): HostEventPayloads[E][] {
  const seen: HostEventPayloads[E][] = [];
  const off = ctx.host.events.on(event, (payload) => {
    if (match(payload)) seen.push(payload);
  });
  check(typeof off === 'function', 'events.on returns an unsubscribe function');
  ctx.defer(off);
  return seen;
}

/** Raises inside a transaction that commits; says whether a handler ran before the body ended. */
async function raisedInCommitted(ctx: KitContext, raise: (tx: Tx) => Promise<unknown>, delivered: () => number): Promise<boolean> {
  let early = false;
  await ctx.knex.transaction(async (trx) => {
    await raise(trx);
    await ctx.settle();
    early = delivered() > 0;
  });
  return early;
}

export const eventsSuite = suite('core', 'events', {
  'delivered-and-unsubscribed': ['events.on delivers a raised event to its handler, and nothing after unsubscribing', async (ctx) => {
    const userId = ctx.unique('someone');
    const seen: unknown[] = [];
    const off = ctx.host.events.on('user.deleted', (p) => {
      if (p.userId === userId) seen.push(p);
    });
    await ctx.hut.raise('user.deleted', { userId });
    await ctx.waitFor(() => seen.length === 1, 'user.deleted delivered');
    off();
    await ctx.hut.raise('user.deleted', { userId });
    await ctx.settle();
    checkEqual(seen, [{ userId }], 'one delivery, none after unsubscribing');
  }],
  'after-commit': ['an event raised within a transaction is delivered once it commits, not before', async (ctx) => {
    const userId = ctx.unique('committed');
    const seen = listen(ctx, 'user.deleted', (p) => p.userId === userId);
    const early = await raisedInCommitted(ctx, (tx) => ctx.hut.raise('user.deleted', { userId }, tx), () => seen.length);
    check(!early, 'no handler runs while the transaction is still open');
    await ctx.waitFor(() => seen.length === 1, 'the event after the commit');
  }],
  'not-on-rollback': ['an event raised within a transaction that rolls back is never delivered', async (ctx) => {
    const userId = ctx.unique('rolled-back');
    const seen = listen(ctx, 'user.deleted', (p) => p.userId === userId);
    await inRolledBack(ctx.knex, (trx) => ctx.hut.raise('user.deleted', { userId }, trx));
    await ctx.settle(10);
    checkEqual(seen.length, 0, 'deliveries after a rollback');
  }],
  'throwing-handler-contained': ['a throwing or rejecting handler is caught: the others still run and the host keeps working', async (ctx) => {
    const userId = ctx.unique('thrower');
    const offThrow = ctx.host.events.on('user.deleted', () => {
      throw new Error('handler failed on purpose');
    });
    const offReject = ctx.host.events.on('user.deleted', async () => {
      throw new Error('handler rejected on purpose');
    });
    ctx.defer(offThrow);
    ctx.defer(offReject);
    const seen = listen(ctx, 'user.deleted', (p) => p.userId === userId);
    await ctx.hut.raise('user.deleted', { userId });
    await ctx.waitFor(() => seen.length === 1, 'the handler after the failing ones');
    const user = await ctx.hut.makeUser({ type: 'client' });
    check((await ctx.host.users.findById(user.id)) !== null, 'the host still reads its users');
    const page = await ctx.visitor().get('/');
    check(page.status < 500, `the host still answers HTTP after a failing handler, got ${page.status}`);
  }],
  'ports-raise-after-commit': ['user.created and enrolment.created, if the host raises them for port writes, come only after the commit', async (ctx) => {
    const email = ctx.email('event');
    const created = listen(ctx, 'user.created', (p) => p.user.email.toLowerCase() === email.toLowerCase());
    const item = await ctx.hut.makeItem({ type: 'topic', origin: 'own' });
    let userId = '';
    const enrolled = listen(ctx, 'enrolment.created', (p) => p.userId === userId && p.item.id === item.ref.id);
    const early = await raisedInCommitted(ctx, async (tx) => {
      userId = (await ctx.host.users.create({ email, firstName: 'Eve', lastName: 'Event', type: 'prospect' }, tx)).id;
      await ctx.host.enrolments.enrol(userId, item.ref, tx);
    }, () => created.length + enrolled.length);
    check(!early, 'no event while the transaction is open');
    await ctx.settle(10);
    check(created.length <= 1 && enrolled.length <= 1, 'each event at most once');
  }],
  'ports-silent-on-rollback': ['a port write on a transaction that rolls back raises no event', async (ctx) => {
    const email = ctx.email('silent');
    const created = listen(ctx, 'user.created', (p) => p.user.email.toLowerCase() === email.toLowerCase());
    const item = await ctx.hut.makeItem({ type: 'topic', origin: 'own' });
    const someone = await ctx.hut.makeUser({ type: 'client' });
    const enrolled = listen(ctx, 'enrolment.created', (p) => p.item.id === item.ref.id);
    await inRolledBack(ctx.knex, async (trx) => {
      await ctx.host.users.create({ email, firstName: 'Rob', lastName: 'Back', type: 'prospect' }, trx);
      await ctx.host.enrolments.enrol(someone.id, item.ref, trx);
    });
    await ctx.settle(10);
    checkEqual(created.length + enrolled.length, 0, 'events after a rolled-back write');
  }],
});
