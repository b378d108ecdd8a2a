/*
 * Seats: available() follows the subscription; claim(tx) takes one seat atomically for a user created
 * in tx: exactly the free number of parallel claims succeed, and a rolled-back claim frees its seat.
 */
import type { Knex } from 'knex';
import { Rollback, inRolledBack } from '../kit/context.js';
import type { KitContext } from '../kit/context.js';
import { check, checkEqual, suite } from '../kit/define.js';

/** One registration's seat part: claim, and on success create the user in the same transaction. */
async function register(ctx: KitContext, trx: Knex.Transaction, label: string): Promise<boolean> {
  if (!(await ctx.host.seats.claim(trx))) return false;
  await ctx.host.users.create({ email: ctx.email(label), firstName: 'Sam', lastName: 'Seat', type: 'prospect' }, trx);
  return true;
}

export const seatsSuite = suite('seats', 'claims', {
  unlimited: ['seats.available is null and claim succeeds on an unlimited subscription', async (ctx) => {
    await ctx.hut.setSeatsLeft(null);
    checkEqual(await ctx.host.seats.available(), null, 'available() when unlimited');
    check(await ctx.knex.transaction((trx) => register(ctx, trx, 'unlimited')), 'claim when unlimited');
  }],
  counted: ['seats.available counts down as users are created; claim says false when none is left', async (ctx) => {
    await ctx.hut.setSeatsLeft(2);
    ctx.defer(() => ctx.hut.setSeatsLeft(null));
    checkEqual(await ctx.host.seats.available(), 2, 'available() with two seats left');
    const results: boolean[] = [];
    for (const label of ['a', 'b', 'c']) results.push(await ctx.knex.transaction((trx) => register(ctx, trx, label)));
    checkEqual(results, [true, true, false], 'three registrations in a row with two seats');
    checkEqual(await ctx.host.seats.available(), 0, 'available() when all are taken');
  }],
  'parallel-exactly-once': ['parallel claims in committed transactions: exactly the free number succeed', async (ctx) => {
    await ctx.hut.setSeatsLeft(3);
    ctx.defer(() => ctx.hut.setSeatsLeft(null));
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => ctx.knex.transaction((trx) => register(ctx, trx, `p${i}`))));
    checkEqual(results.filter(Boolean).length, 3, 'successful claims of 8 parallel registrations with 3 seats');
    checkEqual(await ctx.host.seats.available(), 0, 'available() afterwards');
  }],
  'rollback-frees': ['a seat claimed in a transaction that rolls back is free again', async (ctx) => {
    await ctx.hut.setSeatsLeft(1);
    ctx.defer(() => ctx.hut.setSeatsLeft(null));
    const claimed = await inRolledBack(ctx.knex, (trx) => register(ctx, trx, 'rolled'));
    check(claimed, 'the claim inside the transaction');
    checkEqual(await ctx.host.seats.available(), 1, 'available() after the rollback');
    check(await ctx.knex.transaction((trx) => register(ctx, trx, 'after')), 'the seat can be claimed again');
  }],
  'parallel-with-rollbacks': ['parallel claims where some transactions roll back: never more users than seats, and none lost', async (ctx) => {
    await ctx.hut.setSeatsLeft(3);
    ctx.defer(() => ctx.hut.setSeatsLeft(null));
    const outcomes = await Promise.all(Array.from({ length: 8 }, (_, i) => ctx.knex.transaction(async (trx) => {
      const ok = await register(ctx, trx, `m${i}`);
      if (ok && i % 2 === 0) throw new Rollback();
      return ok;
    }).catch((error: unknown) => {
      if (error instanceof Rollback) return 'rolled back' as const;
      throw error;
    })));
    const committed = outcomes.filter((o) => o === true).length;
    check(committed <= 3, `at most 3 committed claims, got ${committed}`);
    checkEqual(await ctx.host.seats.available(), 3 - committed, 'available() is the seats not committed');
    const more: boolean[] = [];
    for (let i = 0; i < 3 - committed + 1; i++) more.push(await ctx.knex.transaction((trx) => register(ctx, trx, `rest${i}`)));
    checkEqual(more.filter(Boolean).length, 3 - committed, 'the seats the rolled-back claims held are all claimable again');
  }],
});
