/* Saving an item's notification settings: validated first, nothing stored on any refusal. */
import { expect } from 'chai';
import { learner, library, setup, standardAdmin, superAdmin, topic } from './notifications-world.js';

describe('application/SaveNotificationSettings', () => {
  it('saves a valid form, normalised, with who saved it', async () => {
    const { save, settings } = setup();
    const saved = await save.execute(standardAdmin, topic.ref, { enabled: true, mode: 'digest', stakeholders: 'Bea <BEA@acme.test>, carl@acme.test' });
    expect(saved).to.deep.equal({ ok: true, value: { enabled: true, mode: 'digest', stakeholders: ['bea@acme.test', 'carl@acme.test'] } });
    expect(settings.saves).to.deep.equal([{ item: topic.ref, settings: saved.ok ? saved.value : null, actorId: 'std' }]);
  });

  it('stores nothing when anything is refused', async () => {
    const { save, settings } = setup();
    expect(await save.execute(standardAdmin, topic.ref, { enabled: true, mode: 'each', stakeholders: 'ok@acme.test, nope' })).to.deep.equal({
      ok: false, error: { code: 'NOTIFICATION.RECIPIENT_INVALID', invalid: ['nope'] },
    });
    expect(await save.execute(standardAdmin, topic.ref, { enabled: true, mode: 'weekly', stakeholders: '' })).to.deep.equal({ ok: false, error: { code: 'NOTIFICATION.MODE_INVALID' } });
    expect(await save.execute(learner, topic.ref, { enabled: true, mode: 'each', stakeholders: '' })).to.deep.equal({ ok: false, error: { code: 'PERMISSION.DENIED' } });
    expect(await save.execute(superAdmin, library.ref, { enabled: true, mode: 'each', stakeholders: '' })).to.deep.equal({ ok: false, error: { code: 'KNOWLEDGE.LIBRARY_CONTENT' } });
    expect(settings.saves).to.deep.equal([]);
  });

  it('a change is in the audit log with the item and what it is now, never the addresses; saving the same again logs nothing', async () => {
    const { save, world } = setup();
    await save.execute(standardAdmin, topic.ref, { enabled: true, mode: 'digest', stakeholders: 'bea@acme.test, carl@acme.test' });
    await save.execute(standardAdmin, topic.ref, { enabled: true, mode: 'digest', stakeholders: 'bea@acme.test, carl@acme.test' });
    const entries = (await world.audit.list({ limit: 10 })).entries;
    expect(entries.map((e) => [e.action, e.item, e.details])).to.deep.equal([['notifications.changed', topic.ref, { enabled: true, mode: 'digest', recipients: 2 }]]);
    expect(JSON.stringify(entries)).not.to.contain('bea@acme.test');
  });
});
