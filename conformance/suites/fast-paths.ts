/*
 * Contract 1.1's fast paths, each an optional method proven where the host offers it (a test's
 * `needs`): `users.findByIds` and `catalogue.getMany` (core: one query for a page of people or items),
 * `users.createEnrolled` and `users.createEnrolledStatement` (seats: a registration's host side in one
 * call or one statement: created, exists, raced, no_seat; a seat taken exactly once), and
 * `seats.refusedAtCommit`. They turn on no feature: without them the plugin uses the 1.0 ports.
 */
import type { CreateEnrolledOptions, CreateEnrolledResult, KnowledgeRef, NewUser } from '../../src/contract/index.js';
import { inRolledBack, Rollback } from '../kit/context.js';
import type { KitContext } from '../kit/context.js';
import { check, checkEqual, suite } from '../kit/define.js';
import { listen } from './events.js';

const byId = <T extends { id: string }>(list: readonly T[]) => [...list].sort((a, b) => a.id.localeCompare(b.id));
const refKey = (r: KnowledgeRef) => `${r.type}:${r.id}`;

export const lookupsSuite = suite('core', 'lookups', {
  'find-by-ids': ['users.findByIds (1.1) answers the people of the ids as findById does, ids matching nobody left out', async (ctx) => {
    const people = [await ctx.hut.makeUser({ type: 'client' }), await ctx.hut.makeUser({ type: 'staff', role: 'standard_admin' }), await ctx.hut.makeUser({ type: 'prospect' })];
    const ids = [people[0]!.id, 'not-an-id', people[1]!.id, '0', '00000000-0000-0000-0000-000000000000', people[2]!.id, people[0]!.id, "1' or '1'='1"];
    const found = await ctx.host.users.findByIds!(ids);
    checkEqual(byId(found), byId(people), 'the three people, each once, nobody for the unknown ids');
    checkEqual(await ctx.host.users.findByIds!([]), [], 'no ids, nobody');
    checkEqual(await ctx.host.users.findByIds!(['not-an-id', '99999999']), [], 'only unknown ids, nobody');
  }, ['users.findByIds']],
  'find-by-ids-on-tx': ['users.findByIds reads on the transaction it is given: a person created on it is found there, and gone after a rollback', async (ctx) => {
    const email = ctx.email('batch');
    const seen = await inRolledBack(ctx.knex, async (trx) => {
      const user = await ctx.host.users.create({ email, firstName: 'Bea', lastName: 'Batch', type: 'prospect' }, trx);
      return { user, found: await ctx.host.users.findByIds!([user.id], trx) };
    });
    checkEqual(seen.found.map((u) => u.id), [seen.user.id], 'inside the transaction');
    checkEqual(await ctx.host.users.findByIds!([seen.user.id]), [], 'after the rollback');
  }, ['users.findByIds']],
  'get-many': ['catalogue.getMany (1.1) answers the items of the refs as get does, refs matching nothing (or of the wrong type) left out', async (ctx) => {
    const items = [await ctx.hut.makeItem({ type: 'topic', origin: 'own' }), await ctx.hut.makeItem({ type: 'pathway', origin: 'library' })];
    const refs: KnowledgeRef[] = [items[0]!.ref, { type: 'article', id: items[0]!.ref.id }, items[1]!.ref, { type: 'topic', id: 'not-an-id' }, { type: 'topic', id: '00000000-0000-0000-0000-000000000000' }, items[0]!.ref];
    const found = await ctx.host.catalogue.getMany!(refs);
    const sorted = (list: readonly { ref: KnowledgeRef }[]) => [...list].sort((a, b) => refKey(a.ref).localeCompare(refKey(b.ref)));
    const expected = await Promise.all(items.map((i) => ctx.host.catalogue.get(i.ref)));
    checkEqual(sorted(found), sorted(expected as { ref: KnowledgeRef }[]), 'the two items as get() answers them, each once');
    checkEqual(await ctx.host.catalogue.getMany!([]), [], 'no refs, no items');
  }, ['catalogue.getMany']],
});

/** One registration through the method under test: its result, or what it (or its commit) threw. */
type Attempt = { result: CreateEnrolledResult; error?: undefined } | { result?: undefined; error: unknown };

interface Way {
  readonly area: string;
  readonly part: string;
  readonly name: string;
  /** Runs one registration and commits it. */
  attempt(ctx: KitContext, input: NewUser, item: KnowledgeRef, options?: CreateEnrolledOptions): Promise<Attempt>;
}

export const newcomer = (ctx: KitContext, label: string): NewUser => ({ email: ctx.email(label), firstName: 'Nia', lastName: 'Newcomer', type: 'prospect' });

async function caught(run: () => Promise<CreateEnrolledResult>): Promise<Attempt> {
  try {
    return { result: await run() };
  } catch (error) {
    if (error instanceof Rollback) throw error;
    return { error };
  }
}

/** Runs a host statement alone on the database (a single statement: atomic, no explicit transaction), then says it committed. */
export async function runStatement(ctx: KitContext, input: NewUser, item: KnowledgeRef, options?: CreateEnrolledOptions): Promise<CreateEnrolledResult> {
  const statement = ctx.host.users.createEnrolledStatement!(input, item, options);
  const answer = await ctx.knex.raw(statement.sql, statement.bindings as never);
  const rows = (answer as { rows: Record<string, unknown>[] }).rows;
  check(rows.length === 1, `the statement returns exactly one row, got ${rows.length}`);
  const result = statement.read(rows[0]!);
  statement.committed(rows[0]!);
  return result;
}

export const WAYS: readonly Way[] = [
  {
    area: 'create-enrolled', part: 'users.createEnrolled', name: 'users.createEnrolled',
    attempt: (ctx, input, item, options) => caught(() => ctx.knex.transaction((trx) => ctx.host.users.createEnrolled!(input, item, trx, options))),
  },
  {
    area: 'create-enrolled-statement', part: 'users.createEnrolledStatement', name: 'users.createEnrolledStatement',
    attempt: (ctx, input, item, options) => caught(() => runStatement(ctx, input, item, options)),
  },
];

const resultOf = (a: Attempt, what: string): CreateEnrolledResult => {
  if (a.result === undefined) throw new Error(`${what} failed: ${a.error instanceof Error ? a.error.message : String(a.error)}`);
  return a.result;
};

async function topic(ctx: KitContext): Promise<KnowledgeRef> {
  return (await ctx.hut.makeItem({ type: 'topic', origin: 'own' })).ref;
}

function wayTests(way: Way) {
  const needs = [way.part];
  return suite('seats', way.area, {
    created: [`${way.name} (1.1) with a free email and a seat: an active prospect without a role, enrolled in the item`, async (ctx) => {
      await ctx.hut.setSeatsLeft(null);
      const item = await topic(ctx);
      const input = newcomer(ctx, 'Fresh.Face');
      const result = resultOf(await way.attempt(ctx, input, item), way.name);
      check(result.kind === 'created', `created, got ${JSON.stringify(result)}`);
      const { user } = result;
      check(typeof user.id === 'string' && user.id.length > 0, 'the new user’s id is a non-empty string');
      checkEqual([user.email.toLowerCase(), user.firstName, user.lastName, user.type, user.role, user.status], [input.email.toLowerCase(), 'Nia', 'Newcomer', 'prospect', null, 'active'], 'the user as given, active, without a role');
      checkEqual(await ctx.host.users.findById(user.id), user, 'findById finds the user it answered');
      check(await ctx.host.enrolments.isEnrolled(user.id, item), 'the new user is enrolled in the item');
    }, needs],
    exists: [`${way.name} with an email already taken (in another case): exists, not raced; nobody created, the person not enrolled`, async (ctx) => {
      await ctx.hut.setSeatsLeft(null);
      const item = await topic(ctx);
      const known = await ctx.hut.makeUser({ type: 'client', email: ctx.email('Known.Person') });
      const result = resultOf(await way.attempt(ctx, { ...newcomer(ctx, 'x'), email: known.email.toUpperCase() }, item), way.name);
      checkEqual(result, { kind: 'exists', raced: false }, 'the answer for a taken email');
      checkEqual((await ctx.host.users.findByEmail(known.email))?.id, known.id, 'the address still belongs to the person who had it');
      check(!(await ctx.host.enrolments.isEnrolled(known.id, item)), 'the person is not enrolled by it (the plugin asks them to sign in)');
    }, needs],
    'no-seat': [`${way.name} with a free email and no seat left: no_seat, nobody created`, async (ctx) => {
      await ctx.hut.setSeatsLeft(0);
      ctx.defer(() => ctx.hut.setSeatsLeft(null));
      const item = await topic(ctx);
      const input = newcomer(ctx, 'seatless');
      checkEqual(resultOf(await way.attempt(ctx, input, item), way.name), { kind: 'no_seat' }, 'the answer without a seat');
      check((await ctx.host.users.findByEmail(input.email)) === null, 'nobody was created');
      checkEqual(await ctx.host.seats.available(), 0, 'available() still says none');
    }, needs],
    'exists-before-no-seat': [`${way.name} with a taken email and no seat left: exists (a seat is only for someone new)`, async (ctx) => {
      const known = await ctx.hut.makeUser({ type: 'client' });
      await ctx.hut.setSeatsLeft(0);
      ctx.defer(() => ctx.hut.setSeatsLeft(null));
      checkEqual(resultOf(await way.attempt(ctx, { ...newcomer(ctx, 'x'), email: known.email }, await topic(ctx)), way.name), { kind: 'exists', raced: false }, 'the answer');
    }, needs],
    'rolls-back': [`${way.name} inside a transaction that rolls back leaves no user, no enrolment, no event, and the seat free`, async (ctx) => {
      await ctx.hut.setSeatsLeft(1);
      ctx.defer(() => ctx.hut.setSeatsLeft(null));
      const item = await topic(ctx);
      const input = newcomer(ctx, 'rolled');
      const created = listen(ctx, 'user.created', (p) => p.user.email.toLowerCase() === input.email.toLowerCase());
      const enrolled = listen(ctx, 'enrolment.created', (p) => p.item.id === item.id);
      const inside = await inRolledBack(ctx.knex, async (trx) => {
        if (way.part === 'users.createEnrolled') return ctx.host.users.createEnrolled!(input, item, trx);
        const statement = ctx.host.users.createEnrolledStatement!(input, item);
        const row = ((await trx.raw(statement.sql, statement.bindings as never)) as { rows: Record<string, unknown>[] }).rows[0]!;
        return statement.read(row); // rolled back: committed() is never called
      });
      checkEqual(inside.kind, 'created', 'inside the transaction');
      await ctx.settle(10);
      check((await ctx.host.users.findByEmail(input.email)) === null, 'nobody after the rollback');
      if (inside.kind === 'created') check(!(await ctx.host.enrolments.isEnrolled(inside.user.id, item)), 'no enrolment after the rollback');
      checkEqual(created.length + enrolled.length, 0, 'events after the rollback');
      checkEqual(await ctx.host.seats.available(), 1, 'the seat is free again');
      checkEqual(resultOf(await way.attempt(ctx, input, item), way.name).kind, 'created', 'the same registration afterwards');
    }, needs],
    'events-after-commit': [`${way.name} raises user.created and enrolment.created once, after the commit${way.part === 'users.createEnrolledStatement' ? ' (in committed(row))' : ''}`, async (ctx) => {
      await ctx.hut.setSeatsLeft(null);
      const item = await topic(ctx);
      const input = newcomer(ctx, 'evented');
      const created = listen(ctx, 'user.created', (p) => p.user.email.toLowerCase() === input.email.toLowerCase());
      const enrolled = listen(ctx, 'enrolment.created', (p) => p.item.id === item.id);
      let early = -1;
      let userId = '';
      if (way.part === 'users.createEnrolled') {
        await ctx.knex.transaction(async (trx) => {
          const r = await ctx.host.users.createEnrolled!(input, item, trx);
          if (r.kind === 'created') userId = r.user.id;
          await ctx.settle();
          early = created.length + enrolled.length;
        });
      } else {
        const statement = ctx.host.users.createEnrolledStatement!(input, item);
        const row = ((await ctx.knex.raw(statement.sql, statement.bindings as never)) as { rows: Record<string, unknown>[] }).rows[0]!;
        const r = statement.read(row);
        if (r.kind === 'created') userId = r.user.id;
        await ctx.settle();
        early = created.length + enrolled.length;
        statement.committed(row);
      }
      checkEqual(early, 0, 'events before the commit');
      await ctx.waitFor(() => created.length === 1 && enrolled.length === 1, 'user.created and enrolment.created after the commit');
      checkEqual(enrolled[0], { userId, item: { type: item.type, id: item.id } }, 'the enrolment.created payload');
      await ctx.settle(10);
      checkEqual([created.length, enrolled.length], [1, 1], 'each once');
    }, needs],
    'twin-submit': [`${way.name} for an email another registration takes meanwhile: exists, raced when that one committed while this one ran (PostgreSQL)`, async (ctx) => {
      await ctx.hut.setSeatsLeft(null);
      const item = await topic(ctx);
      const input = newcomer(ctx, 'twin');
      let twin: Promise<Attempt> | null = null;
      let waited = false;
      await ctx.knex.transaction(async (trx) => {
        const first = way.part === 'users.createEnrolled' ? await ctx.host.users.createEnrolled!(input, item, trx) : await runInTx(ctx, trx, input, item);
        checkEqual(first.kind, 'created', 'the first submit');
        let answered = false;
        twin = way.attempt(ctx, { ...input, email: input.email.toUpperCase() }, item).finally(() => void (answered = true));
        // The first commits once the twin waits on it in the database (its email, its seat) or answered; on PGlite the twin waits for the connection.
        waited = await ctx.untilWaitedOn(trx, () => answered);
      });
      const answer = resultOf(await twin!, `the twin ${way.name}`);
      check(answer.kind === 'exists', `the twin answers exists, got ${JSON.stringify(answer)}`);
      if (ctx.database === 'postgresql') checkEqual(answer, { kind: 'exists', raced: true }, `the twin that ran while the first committed${waited ? '' : ' (it was never seen waiting on the first in the database)'}`);
      check((await ctx.host.users.findByEmail(input.email)) !== null, 'the first submit’s person has the address');
    }, needs],
    'parallel-seats': [`${way.name} in parallel with 3 seats for 8 newcomers: exactly 3 registered, the others no_seat or refused at commit as seats.refusedAtCommit says`, async (ctx) => {
      await ctx.hut.setSeatsLeft(3);
      ctx.defer(() => ctx.hut.setSeatsLeft(null));
      const item = await topic(ctx);
      const inputs = Array.from({ length: 8 }, (_, i) => newcomer(ctx, `crowd${i}`));
      const attempts = await Promise.all(inputs.map((input) => way.attempt(ctx, input, item)));
      for (const a of attempts.filter((x) => x.error !== undefined)) {
        check(ctx.host.seats.refusedAtCommit?.(a.error) === true, `a failed registration is a seat refused at commit (seats.refusedAtCommit), got ${a.error instanceof Error ? a.error.message : String(a.error)}`);
      }
      const kinds = attempts.map((a) => a.result?.kind ?? 'refused at commit');
      checkEqual(kinds.filter((k) => k === 'created').length, 3, `registered of 8 with 3 seats (${kinds.join(', ')})`);
      check(kinds.every((k) => k === 'created' || k === 'no_seat' || k === 'refused at commit'), `the others say no_seat or are refused at commit: ${kinds.join(', ')}`);
      const people = await Promise.all(inputs.map((input) => ctx.host.users.findByEmail(input.email)));
      checkEqual(people.filter(Boolean).length, 3, 'people kept afterwards');
      checkEqual(await ctx.host.seats.available(), 0, 'available() afterwards');
    }, needs],
  });
}

/** The statement inside the caller's transaction (the twin test's first submit holds its transaction open). */
async function runInTx(ctx: KitContext, trx: Parameters<Parameters<KitContext['knex']['transaction']>[0]>[0], input: NewUser, item: KnowledgeRef): Promise<CreateEnrolledResult> {
  const statement = ctx.host.users.createEnrolledStatement!(input, item);
  const row = ((await trx.raw(statement.sql, statement.bindings as never)) as { rows: Record<string, unknown>[] }).rows[0]!;
  return statement.read(row);
}

export const createEnrolledSuite = wayTests(WAYS[0]!);

export const statementSuite = [
  ...wayTests(WAYS[1]!),
  ...suite('seats', 'create-enrolled-statement', {
    'plain-select': ['users.createEnrolledStatement is one plain SELECT with ? placeholders, returning outcome and user_id (text)', async (ctx) => {
      await ctx.hut.setSeatsLeft(null);
      const item = await topic(ctx);
      const statement = ctx.host.users.createEnrolledStatement!(newcomer(ctx, 'plain'), item);
      check(/^\s*select\b/i.test(statement.sql), `the statement is a SELECT, got ${statement.sql.slice(0, 60)}`);
      check(!/;\s*\S/.test(statement.sql), 'one statement (no ; between statements)');
      checkEqual((statement.sql.match(/\?/g) ?? []).length - (statement.sql.match(/\?\?/g) ?? []).length * 2, statement.bindings.length, 'one binding per ? placeholder');
      const row = ((await ctx.knex.raw(statement.sql, statement.bindings as never)) as { rows: Record<string, unknown>[] }).rows[0]!;
      statement.committed(row);
      checkEqual(row.outcome, 'created', 'the row’s outcome');
      check(typeof row.user_id === 'string' && row.user_id.length > 0, `user_id is text, got ${JSON.stringify(row.user_id)}`);
      const read = statement.read(row);
      check(read.kind === 'created' && read.user.id === row.user_id, 'read(row) answers the user of user_id');
    }, ['users.createEnrolledStatement']],
    nested: ['users.createEnrolledStatement runs as the first part of a statement that also writes rows of its own (as the plugin runs it)', async (ctx) => {
      await ctx.hut.setSeatsLeft(null);
      await ctx.knex.raw('create table if not exists conformance_probe (outcome text, user_id text)');
      ctx.defer(() => ctx.knex.raw('drop table if exists conformance_probe'));
      const item = await topic(ctx);
      const input = newcomer(ctx, 'nested');
      const statement = ctx.host.users.createEnrolledStatement!(input, item);
      const sql = `with host as (${statement.sql}), mine as (insert into conformance_probe (outcome, user_id) select h.outcome, h.user_id from host h where h.outcome = 'created' returning 1)
        select host.*, (select count(*) from mine)::int as written from host`;
      const row = ((await ctx.knex.raw(sql, statement.bindings as never)) as { rows: Record<string, unknown>[] }).rows[0]!;
      statement.committed(row);
      checkEqual([row.outcome, row.written], ['created', 1], 'the host’s outcome and the row written beside it');
      const read = statement.read(row);
      check(read.kind === 'created' && (await ctx.host.enrolments.isEnrolled(read.user.id, item)), 'the user was created and enrolled');
      const probe = await ctx.knex('conformance_probe').select('user_id');
      checkEqual(probe.map((r) => r.user_id as string), [read.kind === 'created' ? read.user.id : ''], 'the row written beside it names the user');
    }, ['users.createEnrolledStatement']],
  }),
];

export const refusalSuite = suite('seats', 'refusal', {
  'other-errors': ['seats.refusedAtCommit (1.1) says false for errors that are not the host refusing a seat', async (ctx) => {
    const refused = ctx.host.seats.refusedAtCommit!.bind(ctx.host.seats);
    const known = await ctx.hut.makeUser({ type: 'client' });
    let duplicate: unknown = null;
    await ctx.host.users.create({ email: known.email.toUpperCase(), firstName: 'Dup', lastName: 'Licate', type: 'prospect' }).catch((e: unknown) => {
      duplicate = e;
    });
    check(duplicate !== null, 'creating a taken email fails');
    for (const [what, error] of [['a plain Error', new Error('boom')], ['a unique violation of the host', duplicate], ['null', null], ['undefined', undefined], ['a string', 'no seat']] as const) {
      checkEqual(refused(error), false, `refusedAtCommit(${what})`);
    }
  }, ['seats.refusedAtCommit']],
});
