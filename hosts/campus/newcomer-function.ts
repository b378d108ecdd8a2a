/*
 * Campus's contract 1.1 columns and its one-statement registration, as SQL of its own:
 *
 * - a membership records how it came about (`via`: token, rule or other; `via_ref`: the token's or
 *   rule's id), and a course may be open to audiences for joining on one's own (`open_to`, a
 *   comma-joined list of audiences, null when closed);
 * - `campus_enrol_newcomer(…)` is a registration's host side: the seat taken by the conditional
 *   UPDATE of the counter row (held until the statement's transaction ends, so no commit is ever
 *   refused), the person inserted with ON CONFLICT on the unique email index, the memberships made,
 *   and their events queued in campus_event_outbox by the same statement (a rollback takes them
 *   away). `p_known` is read by the calling statement in its snapshot: an address taken since is a
 *   twin submit that committed meanwhile ('raced'), and its seat is given back.
 */
import type { Knex } from 'knex';

export async function migrateCampusV11(knex: Knex): Promise<void> {
  if (!(await knex.schema.hasColumn('campus_memberships', 'via'))) {
    await knex.raw(`alter table campus_memberships add column via text not null default 'other' check (via in ('token', 'rule', 'other')),
      add column via_ref text null check (via_ref is null or length(via_ref) <= 64)`);
    await knex.raw('alter table campus_courses add column open_to text null');
  }
  if (!(await knex.schema.hasColumn('campus_event_outbox', 'held_by'))) {
    await knex.raw('alter table campus_event_outbox add column held_by uuid null, add column queued_at timestamptz not null default now()');
  }
  await knex.raw('drop function if exists campus_enrol_newcomer(uuid, text, text, text, text, text, text, timestamptz, boolean, text, text, jsonb)');
  await knex.raw(`
    create or replace function campus_enrol_newcomer(p_id uuid, p_email text, p_given text, p_family text, p_audience text,
      p_course text, p_kind text, p_now timestamptz, p_known boolean, p_via text, p_via_ref text, p_also jsonb, p_hold uuid)
    returns table (outcome text, user_id text, email text, given_name text, family_name text, audience text, memberships jsonb)
    language plpgsql volatile as $$
    #variable_conflict use_column
    declare
      v_person campus_people%rowtype;
      v_seat integer;
      v_made jsonb;
    begin
      if p_known then
        return query select 'exists'::text, null::text, null::text, null::text, null::text, null::text, '[]'::jsonb;
        return;
      end if;
      update campus_subscription s set seats_used = s.seats_used + 1
        where s.id = 1 and (s.seats_total is null or s.seats_used < s.seats_total) returning s.id into v_seat;
      if v_seat is null then
        -- No seat; but an address taken meanwhile is a twin submit, answered as such.
        return query select (case when exists (select 1 from campus_people k where lower(k.email) = lower(p_email)) then 'raced' else 'no_seat' end)::text,
          null::text, null::text, null::text, null::text, null::text, '[]'::jsonb;
        return;
      end if;
      insert into campus_people as p (id, email, given_name, family_name, audience, admin_level, suspended, password, joined_at)
        values (p_id, p_email, p_given, p_family, p_audience, null, false, null, p_now)
        on conflict ((lower(email))) do nothing returning p.* into v_person;
      if v_person.id is null then
        update campus_subscription s set seats_used = s.seats_used - 1 where s.id = 1;
        return query select 'raced'::text, null::text, null::text, null::text, null::text, null::text, '[]'::jsonb;
        return;
      end if;
      -- The registration's course first, then the further ones; the first entry of a course wins. The
      -- events CTE runs whether or not it is read (as every data-modifying CTE does).
      with wanted as (
        select p_course as course, p_kind as kind, p_via as via, p_via_ref as via_ref, 0::bigint as ord
        union all
        select a ->> 'id', a ->> 'type', a ->> 'kind', a ->> 'ref', n from jsonb_array_elements(coalesce(p_also, '[]'::jsonb)) with ordinality as t(a, n)
      ), chosen as (
        select distinct on (c.id) c.id, c.kind, w.via, w.via_ref from wanted w join campus_courses c on c.id::text = w.course and c.kind = w.kind order by c.id, w.ord
      ), made as (
        insert into campus_memberships (person_id, course_id, since, via, via_ref)
          select v_person.id, ch.id, p_now, ch.via, ch.via_ref from chosen ch
          on conflict (person_id, course_id) do nothing returning course_id
      ), events as (
        insert into campus_event_outbox (event, payload, held_by)
          select 'user.created', jsonb_build_object('user', jsonb_build_object('id', v_person.id::text, 'email', v_person.email, 'firstName', v_person.given_name,
            'lastName', v_person.family_name, 'type', v_person.audience, 'role', null, 'status', 'active')), p_hold
          union all
          select 'enrolment.created', jsonb_build_object('userId', v_person.id::text, 'item', jsonb_build_object('type', c.kind, 'id', m.course_id::text)), p_hold
            from made m join campus_courses c on c.id = m.course_id
        returning 1
      )
      select coalesce(jsonb_agg(jsonb_build_object('type', c.kind, 'id', m.course_id::text)), '[]'::jsonb) into v_made
        from made m join campus_courses c on c.id = m.course_id;
      return query select 'created'::text, v_person.id::text, v_person.email, v_person.given_name, v_person.family_name, v_person.audience, v_made;
    end $$`);
}
