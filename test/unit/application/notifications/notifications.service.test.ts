import { expect } from 'chai';
import { NotificationsService } from '../../../../src/application/notifications/notifications.service.js';
import { MailAdminService } from '../../../../src/application/mail/mail-admin.service.js';
import { registrationUseCases } from '../../../../src/application/registration/registration-use-cases.js';
import type { KnowledgeRef } from '../../../../src/domain/shared/knowledge.js';
import type { ExternalEnrolment } from '../../../../src/domain/ports/repositories.port.js';
import type { Tx } from '../../../../src/domain/ports/unit-of-work.port.js';
import { item, makeWorld, PORTAL, seedToken, user, type World } from '../../../support/fakes.js';
import { FakeDigestStore, FakeMailQueue, FakeNotificationSettings } from '../../../support/notifications-fakes.js';

const topic = item('topic', '42', { title: 'Fire safety', learnerUrl: '/learn/topic/42' });
const article = item('article', '7', { title: 'Ladders', learnerUrl: '/learn/article/7' });
const library = item('article', '99', { origin: 'library' });
const superAdmin = user('sa', { role: 'super_admin', email: 'sa@acme.test' });
const standardAdmin = user('std', { role: 'standard_admin' });
const learner = user('learner');

function setup(options: { reportUrl?: boolean; digestHour?: number } = {}) {
  const world = makeWorld(new Date('2026-03-01T10:00:00Z'));
  world.db.state.items.push(topic, article, library);
  const catalogue = options.reportUrl
    ? Object.assign(world.catalogue, {
      reportCalls: [] as (Tx | undefined)[],
      async reportUrl(ref: KnowledgeRef, tx?: Tx) {
        (this as unknown as { reportCalls: (Tx | undefined)[] }).reportCalls.push(tx);
        return ref.id === '42' ? `/admin/reports/${ref.type}/${ref.id}` : null;
      },
    })
    : world.catalogue;
  const settings = new FakeNotificationSettings();
  const digests = new FakeDigestStore(world.db);
  const service = new NotificationsService(
    { uow: world.uow, settings, digests, outbox: world.outbox, catalogue, portal: world.portal, clock: world.clock, logger: world.logger },
    { digestHour: options.digestHour ?? 7 },
  );
  return { world, settings, digests, service };
}

const enrolment = (over: Partial<ExternalEnrolment> = {}): ExternalEnrolment => ({
  user: { id: 'u1', email: 'ada@example.com', firstName: 'Ada', lastName: '<script>alert(1)</script>' },
  newUser: true,
  item: { ref: topic.ref, title: topic.title },
  tokenId: 'tok-1',
  tokenNickname: 'Spring fair',
  at: new Date('2026-03-01T10:00:00Z'),
  ...over,
});

/** Runs the listener inside a unit of work, as the registration use cases do. */
const enrolIn = (w: World, service: NotificationsService, e: ExternalEnrolment) => w.uow.run((tx) => service.enrolled(e, tx));

describe('application/NotificationsService', () => {
  describe('as the enrolment listener', () => {
    it('does nothing while the item’s notifications are off (the default)', async () => {
      const { world, service, digests } = setup();
      await service.refreshPortal();
      await enrolIn(world, service, enrolment());
      expect(world.db.state.outbox).to.deep.equal([]);
      expect(digests.entries).to.deep.equal([]);
    });

    it('an email per enrolment: one message per recipient, queued in the enrolment’s transaction, reading settings on it', async () => {
      const { world, service, settings } = setup({ reportUrl: true });
      settings.set(topic.ref, { enabled: true, mode: 'each', stakeholders: ['bea@acme.test', 'admin@acme.test'] });
      await service.refreshPortal();
      let openTx: Tx | null = null;
      await world.uow.run(async (tx) => {
        openTx = tx;
        await service.enrolled(enrolment(), tx);
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
      const { world, service, settings } = setup({ reportUrl: true });
      settings.set(article.ref, { enabled: true, mode: 'each', stakeholders: [] });
      await service.refreshPortal();
      await enrolIn(world, service, enrolment({ item: { ref: article.ref, title: article.title }, newUser: false, tokenNickname: null }));
      expect(world.db.state.outbox).to.have.length(1);
      expect(world.db.state.outbox[0]!.data).to.include({ reportUrl: '/learn/article/7', reportKind: 'item', newUser: false, tokenNickname: null });
    });

    it('digest mode: the enrolment is noted for the item’s digest, in the transaction, and nothing is mailed yet', async () => {
      const { world, service, settings, digests } = setup();
      settings.set(topic.ref, { enabled: true, mode: 'digest', stakeholders: [] });
      await service.refreshPortal();
      await enrolIn(world, service, enrolment());
      expect(world.db.state.outbox).to.deep.equal([]);
      expect(digests.entries.map((e) => [e.item, e.user.email, e.newUser, e.tokenNickname, e.at.toISOString(), e.digestId])).to.deep.equal([
        [topic.ref, 'ada@example.com', true, 'Spring fair', '2026-03-01T10:00:00.000Z', null],
      ]);
    });

    it('before the portal’s details were ever read, it still emails the stakeholders and says why the admin was left out', async () => {
      const { world, service, settings } = setup();
      settings.set(topic.ref, { enabled: true, mode: 'each', stakeholders: ['bea@acme.test'] });
      await enrolIn(world, service, enrolment());
      expect(world.db.state.outbox.map((m) => m.to)).to.deep.equal(['bea@acme.test']);
      expect(world.logger.lines.some((l) => l.level === 'error' && /primary admin/.test(l.message))).to.equal(true);
    });

    it('wired into registration: the notification commits with the enrolment, and rolls back with it', async () => {
      const { world, service, settings } = setup();
      settings.set(topic.ref, { enabled: true, mode: 'each', stakeholders: [] });
      await service.refreshPortal();
      seedToken(world.db, 'tok-1', 'ABCDEFGHJKMN', topic.ref, { nickname: 'Spring fair' });
      const registration = registrationUseCases({ ...world.ports, enrolmentListeners: [service] }).register;
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

  describe('the Notifications panel', () => {
    it('shows the item’s settings, the primary admin and the digest schedule to admins', async () => {
      const { service, settings } = setup({ digestHour: 6 });
      settings.set(topic.ref, { enabled: true, mode: 'digest', stakeholders: ['bea@acme.test'] });
      const view = await service.view(standardAdmin, topic.ref);
      expect(view).to.deep.equal({
        ok: true,
        value: { item: topic, settings: { enabled: true, mode: 'digest', stakeholders: ['bea@acme.test'] }, primaryAdminEmail: PORTAL.primaryAdminEmail, timeZone: 'Europe/London', digestHour: 6 },
      });
    });

    it('refuses learners, unknown items and library content', async () => {
      const { service } = setup();
      expect(await service.view(learner, topic.ref)).to.deep.equal({ ok: false, error: { code: 'PERMISSION.DENIED' } });
      expect(await service.view(null, topic.ref)).to.deep.equal({ ok: false, error: { code: 'PERMISSION.DENIED' } });
      expect(await service.view(superAdmin, { type: 'topic', id: '404' })).to.deep.equal({ ok: false, error: { code: 'KNOWLEDGE.NOT_FOUND' } });
      expect(await service.view(superAdmin, library.ref)).to.deep.equal({ ok: false, error: { code: 'KNOWLEDGE.LIBRARY_CONTENT' } });
    });

    it('saves a valid form, normalised, with who saved it', async () => {
      const { service, settings } = setup();
      const saved = await service.save(standardAdmin, topic.ref, { enabled: true, mode: 'digest', stakeholders: 'Bea <BEA@acme.test>, carl@acme.test' });
      expect(saved).to.deep.equal({ ok: true, value: { enabled: true, mode: 'digest', stakeholders: ['bea@acme.test', 'carl@acme.test'] } });
      expect(settings.saves).to.deep.equal([{ item: topic.ref, settings: saved.ok ? saved.value : null, actorId: 'std' }]);
    });

    it('stores nothing when anything is refused', async () => {
      const { service, settings } = setup();
      expect(await service.save(standardAdmin, topic.ref, { enabled: true, mode: 'each', stakeholders: 'ok@acme.test, nope' })).to.deep.equal({
        ok: false, error: { code: 'NOTIFICATION.RECIPIENT_INVALID', invalid: ['nope'] },
      });
      expect(await service.save(standardAdmin, topic.ref, { enabled: true, mode: 'weekly', stakeholders: '' })).to.deep.equal({ ok: false, error: { code: 'NOTIFICATION.MODE_INVALID' } });
      expect(await service.save(learner, topic.ref, { enabled: true, mode: 'each', stakeholders: '' })).to.deep.equal({ ok: false, error: { code: 'PERMISSION.DENIED' } });
      expect(await service.save(superAdmin, library.ref, { enabled: true, mode: 'each', stakeholders: '' })).to.deep.equal({ ok: false, error: { code: 'KNOWLEDGE.LIBRARY_CONTENT' } });
      expect(settings.saves).to.deep.equal([]);
    });
  });

  describe('daily digests', () => {
    /** Enrolments in digest mode at the given instants (London time = UTC in March until the 29th). */
    async function noted(instants: string[], ref: KnowledgeRef = topic.ref, stakeholders: string[] = ['bea@acme.test']) {
      const s = setup({ reportUrl: true });
      s.settings.set(topic.ref, { enabled: true, mode: 'digest', stakeholders });
      s.settings.set(article.ref, { enabled: true, mode: 'digest', stakeholders: [] });
      await s.service.refreshPortal();
      for (const [i, at] of instants.entries()) {
        await enrolIn(s.world, s.service, enrolment({ item: { ref, title: ref.id === '42' ? topic.title : article.title }, at: new Date(at), user: { id: `u${i}`, email: `p${i}@example.com`, firstName: `P${i}`, lastName: 'Q' } }));
      }
      return s;
    }

    it('sends nothing before the day is over and its digest hour has come', async () => {
      const { world, service } = await noted(['2026-03-01T09:00:00Z', '2026-03-01T23:59:00Z']);
      world.clock.current = new Date('2026-03-02T06:59:00Z');
      expect(await service.sendDueDigests()).to.deep.equal({ digests: 0, messages: 0 });
      expect(world.db.state.outbox).to.deep.equal([]);
    });

    it('one digest per item and local day, to every recipient, once', async () => {
      const { world, service, digests } = await noted(['2026-03-01T09:00:00Z', '2026-03-01T23:59:00Z', '2026-03-02T00:01:00Z']);
      world.clock.current = new Date('2026-03-02T07:00:00Z');
      expect(await service.sendDueDigests()).to.deep.equal({ digests: 1, messages: 2 });
      expect(world.db.state.outbox.map((m) => [m.to, m.template])).to.deep.equal([['admin@acme.test', 'admin-digest'], ['bea@acme.test', 'admin-digest']]);
      const data = world.db.state.outbox[0]!.data as Record<string, unknown>;
      expect(data).to.deep.include({ itemTitle: 'Fire safety', itemType: 'topic', day: '2026-03-01', timeZone: 'Europe/London', part: 1, reportUrl: '/admin/reports/topic/42', reportKind: 'report' });
      expect((data.entries as { email: string; at: string }[]).map((e) => [e.email, e.at])).to.deep.equal([
        ['p0@example.com', '2026-03-01T09:00:00.000Z'],
        ['p1@example.com', '2026-03-01T23:59:00.000Z'],
      ]);
      expect(digests.digests.map((d) => [d.day, d.part, d.recipients])).to.deep.equal([['2026-03-01', 1, 2]]);
      // Idempotent: nothing more for that day, the next day's enrolment waits for its own.
      expect(await service.sendDueDigests()).to.deep.equal({ digests: 0, messages: 0 });
      world.clock.current = new Date('2026-03-03T07:00:00Z');
      expect(await service.sendDueDigests()).to.deep.equal({ digests: 1, messages: 2 });
      expect(digests.digests.map((d) => d.day)).to.deep.equal(['2026-03-01', '2026-03-02']);
    });

    it('groups by the day in the portal’s time zone, not UTC', async () => {
      const s = await noted(['2026-03-01T22:30:00Z', '2026-03-01T23:30:00Z']);
      s.world.portal.portal = { ...PORTAL, timeZone: 'Europe/Berlin' }; // 23:30 and 00:30 local
      s.world.clock.current = new Date('2026-03-03T08:00:00Z');
      expect(await s.service.sendDueDigests()).to.deep.equal({ digests: 2, messages: 4 });
      expect(s.digests.digests.map((d) => d.day)).to.deep.equal(['2026-03-01', '2026-03-02']);
    });

    it('an item deleted before its digest: the enrolments are still reported, under their snapshot title, without a link', async () => {
      const { world, service } = await noted(['2026-03-01T09:00:00Z']);
      world.db.state.items = world.db.state.items.filter((i) => i.ref.id !== '42');
      world.clock.current = new Date('2026-03-02T08:00:00Z');
      expect(await service.sendDueDigests()).to.deep.equal({ digests: 1, messages: 2 });
      expect(world.db.state.outbox[0]!.data).to.deep.include({ itemTitle: 'Fire safety', reportUrl: null, reportKind: 'item' });
    });

    it('a digest whose notifications were switched off meanwhile is claimed and dropped, not sent', async () => {
      const { world, service, settings, digests } = await noted(['2026-03-01T09:00:00Z']);
      settings.set(topic.ref, { enabled: false, mode: 'digest', stakeholders: ['bea@acme.test'] });
      world.clock.current = new Date('2026-03-02T08:00:00Z');
      expect(await service.sendDueDigests()).to.deep.equal({ digests: 1, messages: 0 });
      expect(world.db.state.outbox).to.deep.equal([]);
      expect(digests.digests.map((d) => d.recipients)).to.deep.equal([0]);
    });
  });
});

describe('application/MailAdminService', () => {
  const failed = (id: string) => ({ id, to: `${id}@acme.test`, template: 'invitation' as const, attempts: 1, error: '550 no such user', failedAt: new Date(), createdAt: new Date() });

  it('only Super admins see the queue and retry', async () => {
    const queue = new FakeMailQueue();
    queue.failed = [failed('1')];
    const service = new MailAdminService(queue);
    for (const actor of [standardAdmin, learner, null]) {
      expect(await service.overview(actor)).to.deep.equal({ ok: false, error: { code: 'PERMISSION.DENIED' } });
      expect(await service.retry(actor, '1')).to.deep.equal({ ok: false, error: { code: 'PERMISSION.DENIED' } });
      expect(await service.retryAll(actor)).to.deep.equal({ ok: false, error: { code: 'PERMISSION.DENIED' } });
    }
    expect(queue.requeued).to.deep.equal([]);
    const overview = await service.overview(superAdmin);
    expect(overview.ok && overview.value.failures.map((f) => f.id)).to.deep.equal(['1']);
    expect(overview.ok && overview.value.status.failed).to.equal(1);
  });

  it('retries one failed message, or all of them; an unknown or malformed id is not found', async () => {
    const queue = new FakeMailQueue();
    queue.failed = [failed('1'), failed('2'), failed('3')];
    const service = new MailAdminService(queue);
    expect(await service.retry(superAdmin, '2')).to.deep.equal({ ok: true, value: true });
    expect(await service.retry(superAdmin, '2')).to.deep.equal({ ok: false, error: { code: 'MAIL.NOT_FOUND' } });
    expect(await service.retry(superAdmin, '1 or 1=1')).to.deep.equal({ ok: false, error: { code: 'MAIL.NOT_FOUND' } });
    expect(await service.retryAll(superAdmin)).to.deep.equal({ ok: true, value: 2 });
    expect(queue.requeued).to.deep.equal(['2', '1', '3']);
  });
});
