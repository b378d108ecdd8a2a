/*
 * The seats port: a subscription's seat limit against the number of users. `claim(tx)` takes a
 * transaction-scoped advisory lock, so concurrent registrations are serialised until commit.
 */
import type { SeatsPort } from '../../src/contract/index.js';
import type { HostContext } from './host-context.js';
import { seatLimit, userCount } from './lookups.js';

export const SEAT_LOCK_KEY = 727001;

export function createSeatsPort(ctx: HostContext): SeatsPort {
  return {
    async available(tx) {
      const limit = await seatLimit(ctx, tx);
      if (limit === null) return null;
      return Math.max(0, limit - (await userCount(ctx, tx)));
    },
    async claim(tx) {
      if (!tx) throw new TypeError('seats.claim needs the transaction that creates the user');
      // An unlimited subscription has nothing to count, so nothing to serialise.
      if ((await seatLimit(ctx, tx)) === null) return true;
      // Serialises concurrent claims until this transaction ends (PostgreSQL and PGlite alike); the
      // limit is read again under the lock, in case it changed meanwhile.
      await ctx.db(tx).raw('select pg_advisory_xact_lock(?)', [SEAT_LOCK_KEY]);
      const limit = await seatLimit(ctx, tx);
      if (limit === null) return true;
      return (await userCount(ctx, tx)) < limit;
    },
  };
}
