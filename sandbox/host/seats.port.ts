/*
 * The seats port: the subscription's seat limit against a counter of users (sandbox_seat_counter,
 * kept at commit by a deferred trigger on sandbox_users; see its migration). Reading or claiming a
 * seat is O(1) whatever the number of users.
 */
import type { SeatsPort, Tx } from '../../src/contract/index.js';
import type { HostContext } from './host-context.js';

/** SQLSTATE of a commit refused because the transaction's new users went over the seat limit. */
export const SEAT_REFUSED = 'SB001';

/** Marks the transaction as claiming seats: its commit enforces the limit (see the migration). */
export const CLAIM_FLAG_SQL = "set_config('sandbox.seat_claim', 'on', true)";

/** The seats used and the limit (null: unlimited; the configured one before the portal row exists). */
export async function seatState(ctx: HostContext, tx?: Tx, lock = false): Promise<{ used: number; limit: number | null }> {
  const result = await ctx.db(tx).raw(
    `select c.used, p.id as portal, p.seat_limit from sandbox_seat_counter c left join sandbox_portal p on p.id = 1 where c.id = 1${lock ? ' for update of c' : ''}`,
  );
  const row = (result.rows as { used: number; portal: number | null; seat_limit: number | null }[])[0];
  const limit = row && row.portal !== null ? row.seat_limit : ctx.config.seatLimit;
  return { used: Number(row?.used ?? 0), limit };
}

export function createSeatsPort(ctx: HostContext): SeatsPort {
  return {
    async available(tx) {
      const { used, limit } = await seatState(ctx, tx);
      return limit === null ? null : Math.max(0, limit - used);
    },
    async claim(tx) {
      if (!tx) throw new TypeError('seats.claim needs the transaction that creates the user');
      // The counter row is locked until this transaction ends (claims queue here), and the commit
      // enforces the limit again. Unlimited: nothing to count against, nothing to lock.
      const { used, limit } = await seatState(ctx, tx, true);
      if (limit === null) return true;
      if (used >= limit) return false;
      await ctx.db(tx).raw(`select ${CLAIM_FLAG_SQL}`);
      return true;
    },
    refusedAtCommit: (error) => (error as { code?: unknown } | null)?.code === SEAT_REFUSED,
  };
}
