/*
 * The seat counter (sandbox_seat_counter, kept at commit by a deferred trigger on sandbox_users) and
 * the host's one-call registration (users.createEnrolled / createEnrolledStatement): the counter
 * follows every way a user is created or removed, a claim is exactly-once under parallel callers, a
 * rollback gives the seat back, and a commit over the limit is refused as the seat port says.
 */
import { expect } from 'chai';
import type { Knex } from 'knex';
import type { HostV1 } from '../../../src/contract/index.js';
import { newUser, useHostPorts } from './host-ports.js';

const ON_POSTGRES = !!process.env.DATABASE_URL;

describe('sandbox seat counter', function () {
  const ports = useHostPorts();
  let host: HostV1;
  let knex: Knex;
  before(() => {
    ({ host, knex } = ports);
  });

  const used = async () => Number((await knex('sandbox_seat_counter').first()).used);
  const users = async () => Number((await knex('sandbox_users').count({ n: '*' }).first())!.n);
  const topic = async () => ({ type: 'topic' as const, id: String((await knex('sandbox_items').insert({ type: 'topic', title: 'T', body: '', origin: 'own' }).returning('id'))[0].id) });

  it('counts users however they are made or removed: the port, a direct INSERT (seed, admin), a delete, a bulk statement', async () => {
    await knex('sandbox_portal').where({ id: 1 }).update({ seat_limit: null });
    expect(await used()).to.equal(0);
    await host.users.create(newUser('a@example.com'));
    await knex('sandbox_users').insert([1, 2, 3].map((i) => ({ email: `seed${i}@example.com`, first_name: 'S', last_name: 'S', type: 'staff', status: 'active' })));
    expect(await used()).to.equal(4);
    await ports.t.sandbox.admin.deleteUser(String((await knex('sandbox_users').where({ email: 'seed1@example.com' }).first()).id));
    await knex('sandbox_users').where('email', 'like', 'seed%').delete();
    expect(await used()).to.equal(1);
    expect(await used()).to.equal(await users());
    expect(await host.seats.available()).to.equal(null);
  });

  it('a rollback gives the seat back; the counter moves only when the transaction commits', async () => {
    await knex.transaction(async (trx) => {
      expect(await host.seats.claim(trx)).to.equal(true);
      await host.users.create(newUser('gone@example.com'), trx);
      throw new Error('rolled back');
    }).catch((e: Error) => expect(e.message).to.equal('rolled back'));
    expect(await used()).to.equal(0);
    expect(await host.seats.available()).to.equal(2);
  });

  it('createEnrolled: creates and enrols once a seat is free, answers exists for a known email and no_seat when full', async () => {
    const item = await topic();
    const one = await knex.transaction((trx) => host.users.createEnrolled!(newUser('one@example.com'), item, trx));
    expect(one.kind).to.equal('created');
    expect(await knex.transaction((trx) => host.users.createEnrolled!(newUser('ONE@example.com'), item, trx))).to.deep.equal({ kind: 'exists', raced: false });
    await knex.transaction((trx) => host.users.createEnrolled!(newUser('two@example.com'), item, trx));
    expect(await knex.transaction((trx) => host.users.createEnrolled!(newUser('three@example.com'), item, trx))).to.deep.equal({ kind: 'no_seat' });
    expect(await used()).to.equal(2);
    expect(await host.seats.available()).to.equal(0);
    expect(Number((await knex('sandbox_enrolments').count({ n: '*' }).first())!.n)).to.equal(2);
  });

  it('parallel one-call registrations with 2 seats: exactly 2 users, the others refused at commit as the seat port says (races on PostgreSQL only)', async function () {
    if (!ON_POSTGRES) this.skip();
    const item = await topic();
    const outcomes = await Promise.all(Array.from({ length: 12 }, (_, i) => {
      const statement = host.users.createEnrolledStatement!(newUser(`p${i}@example.com`), item);
      return knex.raw(statement.sql, statement.bindings as never).then(
        (r: { rows: Record<string, unknown>[] }) => statement.read(r.rows[0]!).kind,
        (e: unknown) => (host.seats.refusedAtCommit!(e) ? 'refused at commit' : `error ${String(e)}`),
      );
    }));
    expect(outcomes.filter((o) => o === 'created')).to.have.length(2);
    expect(outcomes.every((o) => ['created', 'no_seat', 'refused at commit'].includes(o)), outcomes.join(', ')).to.equal(true);
    expect(await users()).to.equal(2);
    expect(await used()).to.equal(2);
  });

  it('parallel seats.claim + create (the 1.0 path): exactly the free seats, counted once each (races on PostgreSQL only)', async function () {
    if (!ON_POSTGRES) this.skip();
    const attempts = await Promise.all(Array.from({ length: 8 }, (_, i) => knex.transaction(async (trx) => {
      if (!(await host.seats.claim(trx))) return false;
      await host.users.create(newUser(`c${i}@example.com`), trx);
      return true;
    }).catch((e: unknown) => (host.seats.refusedAtCommit!(e) ? false : Promise.reject(e)))));
    expect(attempts.filter(Boolean)).to.have.length(2);
    expect(await used()).to.equal(2);
    expect(await users()).to.equal(2);
  });
});
