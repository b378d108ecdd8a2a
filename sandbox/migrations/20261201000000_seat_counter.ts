import type { Knex } from 'knex';

/*
 * Seats in O(1): `sandbox_seat_counter` holds how many users exist, so a seat claim is one
 * conditional check instead of a count of every user under a global lock.
 *
 * The counter is kept by a deferred constraint trigger on `sandbox_users`: whoever creates or
 * deletes a user (the plugin, the seed, the admin pages, a test's own INSERT), the counter moves by
 * one at COMMIT. Being deferred, the counter row is locked only while a transaction commits, never
 * while it waits for its application's next statement, so registrations do not queue on it.
 *
 * A transaction that claimed a seat (`set_config('sandbox.seat_claim', 'on', true)`, done by the
 * seats port and by users.createEnrolled) has the limit enforced there too: if its users would go
 * over `sandbox_portal.seat_limit`, its commit fails with SQLSTATE SB001 and nothing is kept. Other
 * transactions are counted, never refused (an admin may exceed the subscription; then no one else
 * registers).
 *
 * Bulk loads (the benchmark's million users) disable the trigger and recount once.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`create table sandbox_seat_counter (id integer primary key check (id = 1), used integer not null)`);
  await knex.raw(`insert into sandbox_seat_counter (id, used) select 1, count(*) from sandbox_users`);
  await knex.raw(`
    create function sandbox_count_seat() returns trigger language plpgsql as $$
    declare
      v_used integer;
      v_limit integer;
    begin
      if tg_op = 'DELETE' then
        update sandbox_seat_counter set used = used - 1 where id = 1;
        return null;
      end if;
      update sandbox_seat_counter set used = used + 1 where id = 1 returning used into v_used;
      if coalesce(current_setting('sandbox.seat_claim', true), '') = 'on' then
        select seat_limit into v_limit from sandbox_portal where id = 1;
        if v_limit is not null and v_used > v_limit then
          raise exception 'no seat left in the subscription' using errcode = 'SB001';
        end if;
      end if;
      return null;
    end $$`);
  await knex.raw(`create constraint trigger sandbox_users_seat_count after insert or delete on sandbox_users
    deferrable initially deferred for each row execute function sandbox_count_seat()`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop trigger if exists sandbox_users_seat_count on sandbox_users');
  await knex.raw('drop function if exists sandbox_count_seat()');
  await knex.raw('drop table if exists sandbox_seat_counter');
}
