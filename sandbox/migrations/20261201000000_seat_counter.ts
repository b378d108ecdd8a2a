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
 *
 * `sandbox_create_enrolled(...)` is the host side of a registration in one call (contract 1.1,
 * users.createEnrolled / createEnrolledStatement): the seat checked against the counter, the user
 * inserted with ON CONFLICT on the unique email index, the enrolment made. Being a function, the
 * plugin can run it inside a statement of its own (a data-modifying CTE cannot be nested).
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
  await knex.raw(`
    create function sandbox_create_enrolled(p_email text, p_first text, p_last text, p_type text, p_item_type text, p_item_id text,
      p_now timestamptz, p_default_limit integer, p_known boolean)
    returns table (outcome text, user_id text, email text, first_name text, last_name text, type text, role text, status text, enrolled boolean)
    language plpgsql volatile as $$
    #variable_conflict use_column
    declare
      v_used integer;
      v_limit integer;
      v_user sandbox_users%rowtype;
      v_enrolled integer;
    begin
      -- p_known: whether the email was taken when the calling statement started (its snapshot). Taken
      -- since (the insert below conflicts) is a twin submit that committed meanwhile: 'raced'.
      if p_known then
        return query select 'exists'::text, null::text, null::text, null::text, null::text, null::text, null::text, null::text, false;
        return;
      end if;
      select c.used, case when p.id is null then p_default_limit else p.seat_limit end into v_used, v_limit
        from sandbox_seat_counter c left join sandbox_portal p on p.id = 1 where c.id = 1;
      if v_limit is not null and v_used >= v_limit then
        return query select 'no_seat'::text, null::text, null::text, null::text, null::text, null::text, null::text, null::text, false;
        return;
      end if;
      perform set_config('sandbox.seat_claim', 'on', true);
      insert into sandbox_users as u (email, first_name, last_name, type, role, status, password_hash, created_at)
        values (p_email, p_first, p_last, p_type, null, 'active', null, p_now)
        on conflict ((lower(email))) do nothing returning u.* into v_user;
      if v_user.id is null then
        return query select 'raced'::text, null::text, null::text, null::text, null::text, null::text, null::text, null::text, false;
        return;
      end if;
      insert into sandbox_enrolments (user_id, item_type, item_id, source, created_at)
        values (v_user.id, p_item_type, p_item_id, 'self-registration', p_now) on conflict (user_id, item_type, item_id) do nothing;
      get diagnostics v_enrolled = row_count;
      return query select 'created'::text, v_user.id::text, v_user.email, v_user.first_name, v_user.last_name, v_user.type, v_user.role, v_user.status, v_enrolled > 0;
    end $$`);
  await knex.raw(`create constraint trigger sandbox_users_seat_count after insert or delete on sandbox_users
    deferrable initially deferred for each row execute function sandbox_count_seat()`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop function if exists sandbox_create_enrolled(text, text, text, text, text, text, timestamptz, integer, boolean)');
  await knex.raw('drop trigger if exists sandbox_users_seat_count on sandbox_users');
  await knex.raw('drop function if exists sandbox_count_seat()');
  await knex.raw('drop table if exists sandbox_seat_counter');
}
