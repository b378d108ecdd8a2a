/* Recording an external enrolment for the item's admins: an email per enrolment, or a note for the digest. */
import { expect } from 'chai';
import { registrationUseCases } from '../../../../src/application/registration/registration-use-cases.js';
import type { Tx } from '../../../../src/domain/ports/unit-of-work.port.js';
import { seedToken } from '../../../support/fakes/index.js';
import { article, enrolIn, enrolment, setup, topic } from './notifications-world.js';

describe('application/RecordExternalEnrolment', () => {
  describe('as the enrolment listener', () => {
    it('does nothing while the item’s notifications are off (the default)', async () => {
      const { world, listener, portal, digests } = setup();
      await portal.refresh();
      await enrolIn(world, listener, enrolment());
      expect(world.db.state.outbox).to.deep.equal([]);
      expect(digests.entries).to.deep.equal([]);
    });

    it('an email per enrolment: one message per recipient, queued in the enrolment’s transaction, reading settings on it', async () => {
      const { world, listener, portal, settings } = setup({ reportUrl: true });
      settings.set(topic.ref, { enabled: true, mode: 'each', stakeholders: ['bea@acme.test', 'admin@acme.test'] });
      await portal.refresh();
      let openTx: Tx | null = null;
      await world.uow.run(async (tx) => {
        openTx = tx;
        await listener.enrolled(enrolment(), tx);
      });
      expect(settings.reads).to.deep.equal([openTx]);
      expect(world.db.state.outbox.map((m) => [m.to, m.template])).to.deep.equal([
        ['admin@acme.test', 'admin-notification'],
        ['bea@acme.test', 'admin-notification'],
      ]);
      expect(world.db.state.outbox[0]!.data).to.deep.equal({
        itemTitle: 'Fire safety',
        itemType: 'topic',
        registrant: { firstName: 'Ada', lastName: '<script>alert(1)</script>', email: 'ada@example.com' },
        newUser: true,
        tokenNickname: 'Spring fair',
        at: '2026-03-01T10:00:00.000Z',
        reportUrl: '/admin/reports/topic/42',
        reportKind: 'report',
      });
    });

    it('links to the item itself when the host has no report page for it', async () => {
      const { world, listener, portal, settings } = setup({ reportUrl: true });
      settings.set(article.ref, { enabled: true, mode: 'each', stakeholders: [] });
      await portal.refresh();
      await enrolIn(world, listener, enrolment({ item: { ref: article.ref, title: article.title }, newUser: false, tokenNickname: null }));
      expect(world.db.state.outbox).to.have.length(1);
      expect(world.db.state.outbox[0]!.data).to.include({ reportUrl: '/learn/article/7', reportKind: 'item', newUser: false, tokenNickname: null });
    });

    it('digest mode: the enrolment is noted for the item’s digest, in the transaction, and nothing is mailed yet', async () => {
      const { world, listener, portal, settings, digests } = setup();
      settings.set(topic.ref, { enabled: true, mode: 'digest', stakeholders: [] });
      await portal.refresh();
      await enrolIn(world, listener, enrolment());
      expect(world.db.state.outbox).to.deep.equal([]);
      expect(digests.entries.map((e) => [e.item, e.user.email, e.newUser, e.tokenNickname, e.at.toISOString(), e.digestId])).to.deep.equal([
        [topic.ref, 'ada@example.com', true, 'Spring fair', '2026-03-01T10:00:00.000Z', null],
      ]);
    });

    it('before the portal’s details were ever read, it still emails the stakeholders and says why the admin was left out', async () => {
      const { world, listener, portal, settings } = setup();
      settings.set(topic.ref, { enabled: true, mode: 'each', stakeholders: ['bea@acme.test'] });
      await enrolIn(world, listener, enrolment());
      expect(world.db.state.outbox.map((m) => m.to)).to.deep.equal(['bea@acme.test']);
      expect(world.logger.lines.some((l) => l.level === 'error' && /primary admin/.test(l.message))).to.equal(true);
    });

    it('wired into registration: the notification commits with the enrolment, and rolls back with it', async () => {
      const { world, listener, portal, settings } = setup();
      settings.set(topic.ref, { enabled: true, mode: 'each', stakeholders: [] });
      await portal.refresh();
      seedToken(world.db, 'tok-1', 'ABCDEFGHJKMN', topic.ref, { nickname: 'Spring fair' });
      const registration = registrationUseCases({ ...world.ports, enrolmentListeners: [listener] }).register;
      const form = { firstName: 'Ada', lastName: 'Lovelace', code: 'ABCD-EFGH-JKMN' };
      expect(await registration.execute({ ...form, email: 'ada@example.com' })).to.deep.equal({ kind: 'accepted' });
      expect(world.db.state.outbox.map((m) => `${m.template} → ${m.to}`).sort()).to.deep.equal([
        'admin-notification → admin@acme.test',
        'invitation → ada@example.com',
      ]);
      // A step after the listener fails: the registration rolls back, and so does its notification.
      world.links.issue = async () => {
        throw new Error('disk full');
      };
      let thrown: unknown = null;
      await registration.execute({ ...form, email: 'bob@example.com' }).catch((e: unknown) => (thrown = e));
      expect(String(thrown)).to.contain('disk full');
      expect(world.db.state.outbox.map((m) => m.to).sort()).to.deep.equal(['ada@example.com', 'admin@acme.test']);
      expect(world.db.state.users.map((u) => u.email)).to.deep.equal(['ada@example.com']);
    });
  });
});
