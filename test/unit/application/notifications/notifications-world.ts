/* The notification use cases on the in-memory fakes, wired as the container wires them; shared fixtures. */
import { PortalDetails } from '../../../../src/application/notifications/portal-details.js';
import { RecordExternalEnrolment } from '../../../../src/application/notifications/record-external-enrolment.listener.js';
import { NotificationSettingsQuery } from '../../../../src/application/notifications/notification-settings.query.js';
import { SaveNotificationSettings } from '../../../../src/application/notifications/save-notification-settings.use-case.js';
import { SendDueDigests } from '../../../../src/application/notifications/send-due-digests.use-case.js';
import type { KnowledgeRef } from '../../../../src/domain/shared/knowledge.js';
import type { ExternalEnrolment } from '../../../../src/domain/notifications/external-enrolment.js';
import type { Tx } from '../../../../src/domain/ports/unit-of-work.port.js';
import { item, makeWorld, user, type World } from '../../../support/fakes/index.js';
import { FakeDigestStore, FakeNotificationSettings } from '../../../support/fakes/index.js';
import { permissions } from '../../../support/permissions.js';

export const topic = item('topic', '42', { title: 'Fire safety', learnerUrl: '/learn/topic/42' });
export const article = item('article', '7', { title: 'Ladders', learnerUrl: '/learn/article/7' });
export const library = item('article', '99', { origin: 'library' });
export const superAdmin = user('sa', { role: 'super_admin', email: 'sa@acme.test' });
export const standardAdmin = user('std', { role: 'standard_admin' });
export const learner = user('learner');

export function setup(options: { reportUrl?: boolean; digestHour?: number } = {}) {
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
  const portal = new PortalDetails(world.portal);
  const digestHour = options.digestHour ?? 7;
  const listener = new RecordExternalEnrolment({ settings, digests, outbox: world.outbox, catalogue, portal, logger: world.logger });
  const query = new NotificationSettingsQuery(permissions, { settings, catalogue, portal }, digestHour);
  const save = new SaveNotificationSettings(permissions, { settings, catalogue, audit: world.audit, clock: world.clock });
  const digestsDue = new SendDueDigests(
    { uow: world.uow, settings, digests, outbox: world.outbox, catalogue, portal, clock: world.clock, logger: world.logger },
    { digestHour },
  );
  return { world, settings, digests, portal, listener, query, save, digestsDue };
}

export const enrolment = (over: Partial<ExternalEnrolment> = {}): ExternalEnrolment => ({
  user: { id: 'u1', email: 'ada@example.com', firstName: 'Ada', lastName: '<script>alert(1)</script>' },
  newUser: true,
  item: { ref: topic.ref, title: topic.title },
  tokenId: 'tok-1',
  tokenNickname: 'Spring fair',
  at: new Date('2026-03-01T10:00:00Z'),
  ...over,
});

/** Runs the listener inside a unit of work, as RegistrationService does. */
export const enrolIn = (w: World, listener: RecordExternalEnrolment, e: ExternalEnrolment) => w.uow.run((tx) => listener.enrolled(e, tx));
