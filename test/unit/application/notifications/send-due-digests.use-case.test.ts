/* The daily digests of external enrolments, per item and local day in the portal's time zone. */
import { expect } from 'chai';
import type { KnowledgeRef } from '../../../../src/domain/shared/knowledge.js';
import { PORTAL } from '../../../support/fakes/index.js';
import { article, enrolIn, enrolment, setup, topic } from './notifications-world.js';

describe('application/SendDueDigests', () => {
  describe('daily digests', () => {
    /** Enrolments in digest mode at the given instants (London time = UTC in March until the 29th). */
    async function noted(instants: string[], ref: KnowledgeRef = topic.ref, stakeholders: string[] = ['bea@acme.test']) {
      const s = setup({ reportUrl: true });
      s.settings.set(topic.ref, { enabled: true, mode: 'digest', stakeholders });
      s.settings.set(article.ref, { enabled: true, mode: 'digest', stakeholders: [] });
      await s.portal.refresh();
      for (const [i, at] of instants.entries()) {
        await enrolIn(s.world, s.listener, enrolment({ item: { ref, title: ref.id === '42' ? topic.title : article.title }, at: new Date(at), user: { id: `u${i}`, email: `p${i}@example.com`, firstName: `P${i}`, lastName: 'Q' } }));
      }
      return s;
    }

    it('sends nothing before the day is over and its digest hour has come', async () => {
      const { world, digestsDue } = await noted(['2026-03-01T09:00:00Z', '2026-03-01T23:59:00Z']);
      world.clock.current = new Date('2026-03-02T06:59:00Z');
      expect(await digestsDue.execute()).to.deep.equal({ digests: 0, messages: 0 });
      expect(world.db.state.outbox).to.deep.equal([]);
    });

    it('one digest per item and local day, to every recipient, once', async () => {
      const { world, digestsDue, digests } = await noted(['2026-03-01T09:00:00Z', '2026-03-01T23:59:00Z', '2026-03-02T00:01:00Z']);
      world.clock.current = new Date('2026-03-02T07:00:00Z');
      expect(await digestsDue.execute()).to.deep.equal({ digests: 1, messages: 2 });
      expect(world.db.state.outbox.map((m) => [m.to, m.template])).to.deep.equal([['admin@acme.test', 'admin-digest'], ['bea@acme.test', 'admin-digest']]);
      const data = world.db.state.outbox[0]!.data as Record<string, unknown>;
      expect(data).to.deep.include({ itemTitle: 'Fire safety', itemType: 'topic', day: '2026-03-01', timeZone: 'Europe/London', part: 1, reportUrl: '/admin/reports/topic/42', reportKind: 'report' });
      expect((data.entries as { email: string; at: string }[]).map((e) => [e.email, e.at])).to.deep.equal([
        ['p0@example.com', '2026-03-01T09:00:00.000Z'],
        ['p1@example.com', '2026-03-01T23:59:00.000Z'],
      ]);
      expect(digests.digests.map((d) => [d.day, d.part, d.recipients])).to.deep.equal([['2026-03-01', 1, 2]]);
      // Idempotent: nothing more for that day, the next day's enrolment waits for its own.
      expect(await digestsDue.execute()).to.deep.equal({ digests: 0, messages: 0 });
      world.clock.current = new Date('2026-03-03T07:00:00Z');
      expect(await digestsDue.execute()).to.deep.equal({ digests: 1, messages: 2 });
      expect(digests.digests.map((d) => d.day)).to.deep.equal(['2026-03-01', '2026-03-02']);
    });

    it('groups by the day in the portal’s time zone, not UTC', async () => {
      const s = await noted(['2026-03-01T22:30:00Z', '2026-03-01T23:30:00Z']);
      s.world.portal.portal = { ...PORTAL, timeZone: 'Europe/Berlin' }; // 23:30 and 00:30 local
      s.world.clock.current = new Date('2026-03-03T08:00:00Z');
      expect(await s.digestsDue.execute()).to.deep.equal({ digests: 2, messages: 4 });
      expect(s.digests.digests.map((d) => d.day)).to.deep.equal(['2026-03-01', '2026-03-02']);
    });

    it('an item deleted before its digest: the enrolments are still reported, under their snapshot title, without a link', async () => {
      const { world, digestsDue } = await noted(['2026-03-01T09:00:00Z']);
      world.db.state.items = world.db.state.items.filter((i) => i.ref.id !== '42');
      world.clock.current = new Date('2026-03-02T08:00:00Z');
      expect(await digestsDue.execute()).to.deep.equal({ digests: 1, messages: 2 });
      expect(world.db.state.outbox[0]!.data).to.deep.include({ itemTitle: 'Fire safety', reportUrl: null, reportKind: 'item' });
    });

    it('a digest whose notifications were switched off meanwhile is claimed and dropped, not sent', async () => {
      const { world, digestsDue, settings, digests } = await noted(['2026-03-01T09:00:00Z']);
      settings.set(topic.ref, { enabled: false, mode: 'digest', stakeholders: ['bea@acme.test'] });
      world.clock.current = new Date('2026-03-02T08:00:00Z');
      expect(await digestsDue.execute()).to.deep.equal({ digests: 1, messages: 0 });
      expect(world.db.state.outbox).to.deep.equal([]);
      expect(digests.digests.map((d) => d.recipients)).to.deep.equal([0]);
    });
  });
});
