/* What an item's Notifications panel shows, and to whom. */
import { expect } from 'chai';
import { PORTAL } from '../../../support/fakes/index.js';
import { learner, library, setup, standardAdmin, superAdmin, topic } from './notifications-world.js';

describe('application/NotificationSettingsQuery', () => {
  it('shows the item’s settings, the primary admin and the digest schedule to admins', async () => {
    const { query, settings } = setup({ digestHour: 6 });
    settings.set(topic.ref, { enabled: true, mode: 'digest', stakeholders: ['bea@acme.test'] });
    const view = await query.execute(standardAdmin, topic.ref);
    expect(view).to.deep.equal({
      ok: true,
      value: { item: topic, settings: { enabled: true, mode: 'digest', stakeholders: ['bea@acme.test'] }, primaryAdminEmail: PORTAL.primaryAdminEmail, timeZone: 'Europe/London', digestHour: 6 },
    });
  });

  it('refuses learners, unknown items and library content', async () => {
    const { query } = setup();
    expect(await query.execute(learner, topic.ref)).to.deep.equal({ ok: false, error: { code: 'PERMISSION.DENIED' } });
    expect(await query.execute(null, topic.ref)).to.deep.equal({ ok: false, error: { code: 'PERMISSION.DENIED' } });
    expect(await query.execute(superAdmin, { type: 'topic', id: '404' })).to.deep.equal({ ok: false, error: { code: 'KNOWLEDGE.NOT_FOUND' } });
    expect(await query.execute(superAdmin, library.ref)).to.deep.equal({ ok: false, error: { code: 'KNOWLEDGE.LIBRARY_CONTENT' } });
  });
});
