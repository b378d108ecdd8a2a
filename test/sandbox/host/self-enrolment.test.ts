/*
 * Contract 1.1 in the sandbox host: users by type (listByType, selectByType), the filter chains
 * (events.filter), items opened for self-enrolment (catalogue.selfEnrolment, the sandbox's
 * self-enrolment), and the admin changes that raise user.updated and enrolment.deleted.
 */
import { expect } from 'chai';
import type { Knex } from 'knex';
import pino from 'pino';
import type { HostUser, HostV1, KnowledgeRef } from '../../../src/contract/index.js';
import { FILTER_FAILED, FilterChains } from '../../../sandbox/host/filters.port.js';
import { resolveFeatures } from '../../../src/manifest/features.js';
import { readManifest } from '../../../src/manifest/manifest.js';
import { PLUGIN_ROOT } from '../../../src/adapters/views.js';
import { itemOf, newUser, settle, useHostPorts } from './host-ports.js';

describe('sandbox host: users by type, filters and self-enrolment', function () {
  const ports = useHostPorts();
  let host: HostV1;
  let knex: Knex;
  before(() => {
    ({ host, knex } = ports);
  });

  const item = (type: KnowledgeRef['type'] = 'topic', title = 'T') => itemOf(knex, type, title);
  const person = (email: string, type: HostUser['type']) => host.users.create({ ...newUser(email), type });

  it('offers every part the enrolment rules and the quarantine need: the manifest turns both on', () => {
    const statuses = resolveFeatures(readManifest(PLUGIN_ROOT), host);
    expect(statuses.filter((f) => f.id.startsWith('enrolment.')).map((f) => [f.id, f.enabled, f.reasons])).to.deep.equal([
      ['enrolment.rules', true, []], ['enrolment.quarantine', true, []],
    ]);
  });

  describe('users by type', () => {
    it('listByType pages through the users of the types in a stable order', async () => {
      const made: HostUser[] = [];
      for (let i = 0; i < 5; i++) made.push(await person(`p${i}@example.com`, 'prospect'));
      await person('s@example.com', 'staff');
      const client = await person('c@example.com', 'client');
      const seen: string[] = [];
      let after: string | null = null;
      let pages = 0;
      do {
        const page = await host.users.listByType!({ types: ['prospect', 'client'], after, limit: 2 });
        seen.push(...page.users.map((u) => u.email));
        after = page.next;
        pages++;
      } while (after && pages < 10);
      expect(seen).to.deep.equal([...made.map((u) => u.email), client.email]);
      expect(pages).to.equal(3);
      expect(await host.users.listByType!({ types: [], limit: 10 })).to.deep.equal({ users: [], next: null });
      const last = await host.users.listByType!({ types: ['staff'], limit: 1 });
      expect(last.users.map((u) => u.type)).to.deep.equal(['staff']);
      expect(last.next).to.equal(null);
    });

    it('listByType refuses a limit out of 1–5,000, an unknown type or a forged cursor', async () => {
      for (const query of [{ types: ['prospect'], limit: 0 }, { types: ['prospect'], limit: 5001 }, { types: ['guest'], limit: 1 }, { types: ['prospect'], limit: 1, after: '1 or 1=1' }]) {
        let failed = false;
        await host.users.listByType!(query as never).catch(() => {
          failed = true;
        });
        expect(failed, JSON.stringify(query)).to.equal(true);
      }
    });

    it('selectByType is a plain SELECT of id (text), email and type', async () => {
      const p = await person('sel-p@example.com', 'prospect');
      await person('sel-s@example.com', 'staff');
      const select = host.users.selectByType!(['prospect']);
      expect(select.sql.trim().toLowerCase()).to.match(/^select /);
      const rows = (await knex.raw(`select * from (${select.sql}) s order by email`, select.bindings as never)).rows;
      expect(rows).to.deep.equal([{ id: p.id, email: p.email, type: 'prospect' }]);
    });
  });

  describe('filter chains', () => {
    const quiet = pino({ level: 'silent' });
    const payload = (user: HostUser) => ({ user, item: { type: 'topic' as const, id: '1' }, openTo: ['staff' as const] });
    const someone: HostUser = { id: '1', email: 'a@example.com', firstName: 'A', lastName: 'B', type: 'prospect', role: null, status: 'active' };

    it('runs handlers by priority (lower first) and stops at the first veto', async () => {
      const chains = new FilterChains(quiet, 200);
      const ran: string[] = [];
      chains.filter('enrolment.self_enrol', () => void ran.push('late'), 20);
      chains.filter('enrolment.self_enrol', () => {
        ran.push('veto');
        return { veto: { code: 'x.no', message: 'Not for you.' } };
      }, 10);
      chains.filter('enrolment.self_enrol', () => void ran.push('early'), -5);
      expect(await chains.ask('enrolment.self_enrol', payload(someone))).to.deep.equal({ code: 'x.no', message: 'Not for you.' });
      expect(ran).to.deep.equal(['early', 'veto']);
    });

    it('counts a throwing, a slow or a malformed handler as a veto with a generic message (fail closed)', async () => {
      for (const handler of [
        () => { throw new Error('boom'); },
        () => new Promise<void>((r) => setTimeout(r, 1000)),
        () => ({ veto: { code: 'x' } }),
        () => 'yes',
      ]) {
        const chains = new FilterChains(quiet, 50);
        chains.filter('enrolment.self_enrol', handler as never);
        expect(await chains.ask('enrolment.self_enrol', payload(someone))).to.deep.equal(FILTER_FAILED);
      }
    });

    it('lets a request pass without handlers or after one leaves', async () => {
      const chains = new FilterChains(quiet, 50);
      const leave = chains.filter('enrolment.self_enrol', () => ({ veto: { code: 'x', message: 'No.' } }));
      leave();
      expect(await chains.ask('enrolment.self_enrol', payload(someone))).to.equal(null);
      expect(() => chains.filter('no.such' as never, () => undefined)).to.throw(TypeError);
    });

    it('is offered on the host\'s events port', () => {
      expect(host.events.filter).to.be.a('function');
    });
  });

  describe('self-enrolment', () => {
    const selfEnrolment = () => ports.t.sandbox.selfEnrolment;

    it('the catalogue port answers selfEnrolment.openTo for opened items only (get, getMany, list)', async () => {
      const open = await item('topic', 'Open');
      const closed = await item('article', 'Closed');
      expect(await selfEnrolment().setOpenTo(open, ['prospect', 'staff'])).to.equal(true);
      expect((await host.catalogue.get(open))?.selfEnrolment).to.deep.equal({ openTo: ['staff', 'prospect'] });
      expect(await host.catalogue.get(closed)).not.to.have.property('selfEnrolment');
      const many = await host.catalogue.getMany!([open, closed]);
      expect(many.find((i) => i.ref.id === open.id)?.selfEnrolment).to.deep.equal({ openTo: ['staff', 'prospect'] });
      expect((await host.catalogue.list()).map((i) => [i.title, i.selfEnrolment?.openTo ?? null])).to.deep.equal([['Open', ['staff', 'prospect']], ['Closed', null]]);
      expect(await selfEnrolment().setOpenTo(open, []), 'closing it').to.equal(true);
      expect(await host.catalogue.get(open)).not.to.have.property('selfEnrolment');
      expect(await selfEnrolment().setOpenTo({ type: 'topic', id: '999999' }, ['staff'])).to.equal(false);
    });

    it('offers the items opened to the learner\'s type they are not enrolled in, without those a filter vetoes', async () => {
      const staff = await person('staff@example.com', 'staff');
      const prospect = await person('prospect@example.com', 'prospect');
      const forStaff = await item('topic', 'B for staff');
      const forAll = await item('article', 'A for all');
      const enrolled = await item('topic', 'C enrolled');
      await selfEnrolment().setOpenTo(forStaff, ['staff', 'client']);
      await selfEnrolment().setOpenTo(forAll, ['staff', 'client', 'prospect']);
      await selfEnrolment().setOpenTo(enrolled, ['staff']);
      await host.enrolments.enrol(staff.id, enrolled);
      const titles = async (u: HostUser) => (await selfEnrolment().offers(u)).map((i) => i.title);
      expect(await titles(staff)).to.deep.equal(['A for all', 'B for staff']);
      expect(await titles(prospect)).to.deep.equal(['A for all']);
      const asked: unknown[] = [];
      const leave = host.events.filter!('enrolment.self_enrol', (p) => {
        asked.push({ user: p.user.email, item: p.item, openTo: p.openTo });
        return p.user.type === 'prospect' ? { veto: { code: 'quarantine', message: 'Prospects enrol through their invitation.' } } : undefined;
      });
      try {
        expect(await titles(prospect)).to.deep.equal([]);
        expect(asked).to.deep.include({ user: 'prospect@example.com', item: forAll, openTo: ['staff', 'client', 'prospect'] });
        expect(await titles(staff)).to.deep.equal(['A for all', 'B for staff']);
      } finally {
        leave();
      }
    });

    it('enrols with source other after the chain lets it pass, raising enrolment.created after commit; refuses what is not open or vetoed, writing nothing', async () => {
      const client = await person('client@example.com', 'client');
      const open = await item('topic', 'Open');
      const notOpen = await item('topic', 'Not open');
      await selfEnrolment().setOpenTo(open, ['client']);
      await selfEnrolment().setOpenTo(notOpen, ['staff']);
      const created: unknown[] = [];
      const off = host.events.on('enrolment.created', (p) => void created.push(p));
      try {
        expect(await selfEnrolment().enrol(client, notOpen)).to.deep.include({ kind: 'refused' });
        expect(await selfEnrolment().enrol(client, { type: 'topic', id: '999999' })).to.deep.include({ kind: 'refused' });
        const leave = host.events.filter!('enrolment.self_enrol', () => ({ veto: { code: 'no', message: 'Not today.' } }));
        try {
          expect(await selfEnrolment().enrol(client, open)).to.deep.equal({ kind: 'refused', veto: { code: 'no', message: 'Not today.' } });
        } finally {
          leave();
        }
        expect(await knex('sandbox_enrolments')).to.have.length(0);
        expect((await selfEnrolment().enrol(client, open)).kind).to.equal('enrolled');
        expect((await selfEnrolment().enrol(client, open)).kind).to.equal('already');
        await settle();
        expect(created).to.deep.equal([{ userId: client.id, item: open }]);
        expect(await knex('sandbox_enrolments').first('source_kind', 'source_ref')).to.deep.equal({ source_kind: 'other', source_ref: null });
      } finally {
        off();
      }
    });

    it('a handler that throws is a veto on the host too (fail closed)', async () => {
      const client = await person('thrower@example.com', 'client');
      const open = await item('topic', 'Open');
      await selfEnrolment().setOpenTo(open, ['client']);
      const leave = host.events.filter!('enrolment.self_enrol', () => {
        throw new Error('plugin down');
      });
      try {
        expect(await selfEnrolment().offers(client)).to.deep.equal([]);
        expect(await selfEnrolment().enrol(client, open)).to.deep.equal({ kind: 'refused', veto: FILTER_FAILED });
      } finally {
        leave();
      }
      expect(await host.enrolments.isEnrolled(client.id, open)).to.equal(false);
    });
  });

  describe('admin changes', () => {
    it('changing a user\'s type raises user.updated with the new type once saved', async () => {
      const user = await person('typed@example.com', 'prospect');
      const seen: HostUser[] = [];
      const off = host.events.on('user.updated', (p) => {
        seen.push(p.user);
      });
      try {
        const updated = await ports.t.sandbox.admin.updateUser(user.id, { type: 'client' });
        expect(updated?.type).to.equal('client');
        expect(seen.map((u) => [u.id, u.type])).to.deep.equal([[user.id, 'client']]);
        expect((await host.users.findById(user.id))?.type).to.equal('client');
      } finally {
        off();
      }
    });

    it('removing an enrolment raises enrolment.deleted with its source, removedBy admin', async () => {
      const user = await person('removed@example.com', 'prospect');
      const ref = await item();
      await host.enrolments.enrolFrom!(user.id, ref, { kind: 'rule', ref: 'r5' });
      const seen: unknown[] = [];
      const off = host.events.on('enrolment.deleted', (p) => void seen.push(p));
      try {
        expect(await ports.t.sandbox.admin.removeEnrolment(user.id, ref)).to.equal(true);
        expect(await ports.t.sandbox.admin.removeEnrolment(user.id, ref)).to.equal(false);
        expect(seen).to.deep.equal([{ userId: user.id, item: ref, source: { kind: 'rule', ref: 'r5' }, removedBy: 'admin' }]);
        expect(await host.enrolments.isEnrolled(user.id, ref)).to.equal(false);
      } finally {
        off();
      }
    });
  });
});
