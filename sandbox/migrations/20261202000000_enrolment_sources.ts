import type { Knex } from 'knex';

/*
 * Contract 1.1, enrolment sources and self-enrolment.
 *
 * Every enrolment records why it exists (`source_kind`: token, rule or other; `source_ref`: the
 * token's or rule's id). Enrolments made before this migration are `other`. The older free-text
 * `source` column stays as the sandbox's own label (the seed writes `seed`); new enrolments copy the
 * kind into it.
 *
 * `sandbox_self_enrolment` holds the items an admin opened for self-enrolment and the user types they
 * are opened to (the catalogue).
 *
 * `sandbox_create_enrolled` gains the registration enrolment's source and further enrolments (`also`,
 * a JSON array of {type, id, kind, ref}), each idempotent, in the same call; it answers the further
 * enrolments it created (`also_created`, a JSON array of {type, id}) so their events can be raised.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`alter table sandbox_enrolments
    add column source_kind text not null default 'other',
    add column source_ref text null,
    add constraint sandbox_enrolments_source_kind_check check (source_kind in ('token', 'rule', 'other')),
    add constraint sandbox_enrolments_source_ref_check check (source_ref is null or length(source_ref) <= 64)`);
  await knex.raw(`alter table sandbox_enrolments alter column source set default 'other'`);

  await knex.raw(`create table sandbox_self_enrolment (
    item_id integer primary key references sandbox_items (id) on delete cascade,
    open_to text[] not null,
    updated_at timestamptz not null default now(),
    constraint sandbox_self_enrolment_open_to_check check (cardinality(open_to) > 0 and open_to <@ array['staff', 'client', 'prospect']::text[])
  )`);

  await knex.raw('drop function if exists sandbox_create_enrolled(text, text, text, text, text, text, timestamptz, integer, boolean)');
  await knex.raw(`
    create function sandbox_create_enrolled(p_email text, p_first text, p_last text, p_type text, p_item_type text, p_item_id text,
      p_now timestamptz, p_default_limit integer, p_known boolean, p_source_kind text, p_source_ref text, p_also jsonb)
    returns table (outcome text, user_id text, email text, first_name text, last_name text, type text, role text, status text, enrolled boolean, also_created jsonb)
    language plpgsql volatile as $$
    #variable_conflict use_column
    declare
      v_used integer;
      v_limit integer;
      v_user sandbox_users%rowtype;
      v_enrolled integer;
      v_also jsonb;
    begin
      -- p_known: whether the email was taken when the calling statement started (its snapshot). Taken
      -- since (the insert below conflicts) is a twin submit that committed meanwhile: 'raced'.
      if p_known then
        return query select 'exists'::text, null::text, null::text, null::text, null::text, null::text, null::text, null::text, false, '[]'::jsonb;
        return;
      end if;
      select c.used, case when p.id is null then p_default_limit else p.seat_limit end into v_used, v_limit
        from sandbox_seat_counter c left join sandbox_portal p on p.id = 1 where c.id = 1;
      if v_limit is not null and v_used >= v_limit then
        return query select 'no_seat'::text, null::text, null::text, null::text, null::text, null::text, null::text, null::text, false, '[]'::jsonb;
        return;
      end if;
      perform set_config('sandbox.seat_claim', 'on', true);
      insert into sandbox_users as u (email, first_name, last_name, type, role, status, password_hash, created_at)
        values (p_email, p_first, p_last, p_type, null, 'active', null, p_now)
        on conflict ((lower(email))) do nothing returning u.* into v_user;
      if v_user.id is null then
        return query select 'raced'::text, null::text, null::text, null::text, null::text, null::text, null::text, null::text, false, '[]'::jsonb;
        return;
      end if;
      insert into sandbox_enrolments (user_id, item_type, item_id, source, source_kind, source_ref, created_at)
        values (v_user.id, p_item_type, p_item_id, p_source_kind, p_source_kind, p_source_ref, p_now) on conflict (user_id, item_type, item_id) do nothing;
      get diagnostics v_enrolled = row_count;
      -- Further enrolments (the matching rules' items), each idempotent; items that do not exist are
      -- skipped; an item named twice takes the first source given for it. None: nothing more to do.
      v_also := '[]'::jsonb;
      if jsonb_array_length(coalesce(p_also, '[]'::jsonb)) > 0 then
        with wanted as (
          select distinct on (a ->> 'type', a ->> 'id') a ->> 'type' as item_type, a ->> 'id' as item_id, a ->> 'kind' as kind, a ->> 'ref' as ref
            from jsonb_array_elements(coalesce(p_also, '[]'::jsonb)) with ordinality as x (a, n)
            order by a ->> 'type', a ->> 'id', n
        ), made as (
          insert into sandbox_enrolments (user_id, item_type, item_id, source, source_kind, source_ref, created_at)
            select v_user.id, w.item_type, w.item_id, w.kind, w.kind, w.ref, p_now
              from wanted w join sandbox_items i on i.type = w.item_type and i.id::text = w.item_id
            on conflict (user_id, item_type, item_id) do nothing
            returning item_type, item_id
        )
        select coalesce(jsonb_agg(jsonb_build_object('type', m.item_type, 'id', m.item_id)), '[]'::jsonb) into v_also from made m;
      end if;
      return query select 'created'::text, v_user.id::text, v_user.email, v_user.first_name, v_user.last_name, v_user.type, v_user.role, v_user.status, v_enrolled > 0, v_also;
    end $$`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop function if exists sandbox_create_enrolled(text, text, text, text, text, text, timestamptz, integer, boolean, text, text, jsonb)');
  // The seat counter's version, as it was before sources.
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
  await knex.raw('drop table if exists sandbox_self_enrolment');
  await knex.raw(`alter table sandbox_enrolments alter column source drop default`);
  await knex.raw(`alter table sandbox_enrolments drop column if exists source_kind, drop column if exists source_ref`);
}
