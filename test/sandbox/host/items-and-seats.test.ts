/* The enrolments, catalogue, portal, seats and dev-mailbox ports (host/enrolments.port.ts, host/catalogue.port.ts, host/portal.port.ts, host/seats.port.ts, host/dev-mailbox.port.ts). */
import { expect } from 'chai';
import type { Knex } from 'knex';
import type { HostV1 } from '../../../src/contract/index.js';
import { newUser, useHostPorts } from './host-ports.js';

describe('sandbox host ports', function () {
  const ports = useHostPorts();
  let host: HostV1;
  let knex: Knex;
  before(() => {
    ({ host, knex } = ports);
  });

  describe('enrolments and catalogue', () => {
    it('enrols idempotently and answers isEnrolled', async () => {
      const user = await host.users.create(newUser('learner@example.com'));
      const [row] = await knex('sandbox_items').insert({ type: 'topic', title: 'A topic', body: '', origin: 'own' }).returning('id');
      const item = { type: 'topic' as const, id: String(row.id) };
      const events: unknown[] = [];
      const off = host.events.on('enrolment.created', (p) => {
        events.push(p);
      });
      try {
        expect(await host.enrolments.isEnrolled(user.id, item)).to.equal(false);
        expect(await knex.transaction((trx) => host.enrolments.enrol(user.id, item, trx))).to.deep.equal({ created: true });
        expect(await host.enrolments.enrol(user.id, item)).to.deep.equal({ created: false });
        expect(await host.enrolments.isEnrolled(user.id, item)).to.equal(true);
        await new Promise((r) => setTimeout(r, 20));
        expect(events).to.deep.equal([{ userId: user.id, item }]);
        const rows = await knex('sandbox_enrolments').where({ user_id: Number(user.id) });
        expect(rows).to.have.length(1);
        // A plain enrol says nothing of why: the contract's `other`.
        expect([rows[0].source_kind, rows[0].source_ref]).to.deep.equal(['other', null]);
      } finally {
        off();
      }
    });

    it('gets and lists items with learner URLs and origins', async () => {
      const [own] = await knex('sandbox_items').insert({ type: 'article', title: 'Own', body: '', origin: 'own' }).returning('id');
      const [lib] = await knex('sandbox_items').insert({ type: 'topic', title: 'Lib', body: '', origin: 'library' }).returning('id');
      expect(await host.catalogue.get({ type: 'article', id: String(own.id) })).to.deep.equal({
        ref: { type: 'article', id: String(own.id) }, title: 'Own', origin: 'own', learnerUrl: `/items/article/${own.id}`,
      });
      expect(await host.catalogue.get({ type: 'topic', id: String(own.id) }), 'wrong type').to.equal(null);
      expect(await host.catalogue.get({ type: 'topic', id: 'abc' })).to.equal(null);
      expect((await host.catalogue.list()).map((i) => i.title)).to.deep.equal(['Own', 'Lib']);
      expect((await host.catalogue.list({ type: 'topic' })).map((i) => [i.title, i.origin])).to.deep.equal([['Lib', 'library']]);
      expect(lib.id).to.be.a('number');
    });
  });

  describe('portal and seats', () => {
    it('reports the portal from its row and the public URL from config, never the request', async () => {
      expect(await host.portal.info()).to.deep.equal({
        name: 'Test Portal', primaryAdminEmail: 'boss@example.com', publicBaseUrl: 'https://learn.example.com', timeZone: 'Europe/Paris',
      });
    });

    it('claims seats under a lock: with 2 seats, three sequential registrations give true, true, false', async () => {
      const results: boolean[] = [];
      for (const email of ['a@example.com', 'b@example.com', 'c@example.com']) {
        await knex.transaction(async (trx) => {
          const claimed = await host.seats.claim(trx);
          results.push(claimed);
          if (!claimed) throw new Error('no seat');
          await host.users.create(newUser(email), trx);
        }).catch((e: Error) => {
          if (e.message !== 'no seat') throw e;
        });
      }
      expect(results).to.deep.equal([true, true, false]);
      expect(await host.seats.available()).to.equal(0);
      expect(await knex('sandbox_users').count({ n: '*' })).to.satisfy((r: { n: string | number }[]) => Number(r[0]!.n) === 2);
    });

    it('lets exactly the free number of parallel registrations through', async () => {
      const attempts = Array.from({ length: 6 }, (_, i) => knex.transaction(async (trx) => {
        if (!(await host.seats.claim(trx))) return false;
        await host.users.create(newUser(`p${i}@example.com`), trx);
        return true;
      }));
      const outcomes = await Promise.all(attempts);
      expect(outcomes.filter(Boolean)).to.have.length(2);
      expect(await host.seats.available()).to.equal(0);
    });

    it('reports unlimited seats as null', async () => {
      await knex('sandbox_portal').where({ id: 1 }).update({ seat_limit: null });
      expect(await host.seats.available()).to.equal(null);
      expect(await knex.transaction((trx) => host.seats.claim(trx))).to.equal(true);
    });
  });

  describe('devMailbox', () => {
    it('stores delivered messages', async () => {
      await host.devMailbox!.deliver({ from: 'a@x.test', to: 'b@x.test', subject: 'Hi', raw: 'Subject: Hi\r\n\r\nHello', text: 'Hello', messageId: '<1@x.test>' });
      const row = await knex('sandbox_mailbox').where({ message_id: '<1@x.test>' }).first();
      expect(row).to.include({ from: 'a@x.test', to: 'b@x.test', subject: 'Hi', text: 'Hello', html: null });
    });
  });
});
