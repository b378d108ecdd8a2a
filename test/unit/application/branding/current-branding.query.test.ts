/* What the Registration page panel is drawn from: the stored branding and the portal it belongs to. */
import { expect } from 'chai';
import { CurrentBrandingQuery } from '../../../../src/application/branding/current-branding.query.js';
import { DEFAULT_BRANDING } from '../../../../src/domain/branding/branding-settings.js';
import { makeWorld, PORTAL, user } from '../../../support/fakes/index.js';
import { permissions } from '../../../support/permissions.js';

describe('application/CurrentBrandingQuery', () => {
  it('shows Super and Standard admins the stored branding with the portal’s name and address; refuses everyone else', async () => {
    const world = makeWorld();
    await world.settings.setBranding({ ...DEFAULT_BRANDING, heading: 'Hi' });
    const query = new CurrentBrandingQuery(permissions, world.settings, world.portal);
    for (const role of ['super_admin', 'standard_admin'] as const) {
      expect(await query.execute(user('a', { role }))).to.deep.equal({
        ok: true, value: { branding: { ...DEFAULT_BRANDING, heading: 'Hi' }, portalName: PORTAL.name, publicBaseUrl: PORTAL.publicBaseUrl },
      });
    }
    for (const actor of [user('learner'), null]) expect(await query.execute(actor)).to.deep.equal({ ok: false, error: { code: 'PERMISSION.DENIED' } });
  });
});
