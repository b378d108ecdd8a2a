/* The branding use cases together (save, current, public look) on the in-memory fakes. */
import { expect } from 'chai';
import { CurrentBrandingQuery } from '../../../../src/application/branding/current-branding.query.js';
import { PublicLookQuery } from '../../../../src/application/branding/public-look.query.js';
import { SaveBranding } from '../../../../src/application/branding/save-branding.use-case.js';
import { ChangeSignal } from '../../../../src/application/shared/read-cache.js';
import { DEFAULT_BRANDING } from '../../../../src/domain/branding/branding-settings.js';
import { type SettingsRepository } from '../../../../src/domain/ports/settings-repository.port.js';
import type { HostUser } from '../../../../src/domain/shared/user.js';
import { makeWorld, PORTAL, user } from '../../../support/fakes/index.js';
import { permissions } from '../../../support/permissions.js';

const superAdmin: HostUser = user('admin-1', { email: 'Boss@Acme.test', role: 'super_admin', type: 'staff' });
const standardAdmin: HostUser = user('admin-2', { role: 'standard_admin', type: 'staff' });
const learner: HostUser = user('learner', { role: null });

describe('application/branding: save, current and the public look', () => {
  function setup(cacheMs = 0) {
    const world = makeWorld();
    const signal = new ChangeSignal();
    let reads = 0;
    const settings = world.settings;
    const counted: SettingsRepository = {
      portalEnabled: () => settings.portalEnabled(),
      setPortalEnabled: (enabled) => settings.setPortalEnabled(enabled),
      branding: async () => {
        reads += 1;
        return settings.branding();
      },
      setBranding: (b) => settings.setBranding(b),
    };
    let millis = 0;
    const look = new PublicLookQuery({ settings: counted, portal: world.portal, signal, cacheMs, millis: () => millis });
    const current = new CurrentBrandingQuery(permissions, counted, world.portal);
    const save = new SaveBranding(permissions, counted, signal, world.audit, world.clock);
    const service = {
      look: () => look.execute(),
      update: save.execute.bind(save),
      current: async (actor: HostUser | null) => {
        const r = await current.execute(actor);
        return r.ok ? { ok: true as const, value: r.value.branding } : r;
      },
    };
    return { world, service, signal, reads: () => reads, tick: (ms: number) => (millis += ms) };
  }

  it('Super and Standard admins save a valid branding; the public look shows it, with consent asked', async () => {
    const { service } = setup();
    for (const actor of [superAdmin, standardAdmin]) {
      const saved = await service.update(actor, { ...DEFAULT_BRANDING, primaryColour: '#0B6E4F', termsUrl: 'https://a.example/terms', heading: 'Hi' });
      expect(saved.ok, actor.role!).to.equal(true);
    }
    const look = await service.look();
    expect(look).to.deep.equal({
      branding: { ...DEFAULT_BRANDING, primaryColour: '#0b6e4f', termsUrl: 'https://a.example/terms', heading: 'Hi' },
      portalName: PORTAL.name,
      contactEmail: PORTAL.primaryAdminEmail,
      consentRequired: true,
    });
    expect(await service.current(standardAdmin)).to.deep.equal({ ok: true, value: look.branding });
  });

  it('a save that changes fields is in the audit log, naming them; saving the same again logs nothing', async () => {
    const { service, world } = setup();
    await service.update(superAdmin, { ...DEFAULT_BRANDING, primaryColour: '#0B6E4F', heading: 'Hi' });
    await service.update(superAdmin, { ...DEFAULT_BRANDING, primaryColour: '#0B6E4F', heading: 'Hi' });
    const entries = (await world.audit.list({ limit: 10 })).entries;
    expect(entries.map((e) => [e.action, e.details.fields])).to.deep.equal([['branding.changed', 'primaryColour, heading']]);
  });

  it('refuses learners and anonymous visitors, storing nothing', async () => {
    const { world, service } = setup();
    for (const actor of [learner, null]) {
      expect(await service.update(actor, { ...DEFAULT_BRANDING, heading: 'Hacked' })).to.deep.equal({ ok: false, error: { code: 'PERMISSION.DENIED' } });
      expect(await service.current(actor)).to.deep.equal({ ok: false, error: { code: 'PERMISSION.DENIED' } });
    }
    expect(await world.settings.branding()).to.deep.equal(DEFAULT_BRANDING);
  });

  it('an invalid submission names each field and stores nothing', async () => {
    const { world, service } = setup();
    const r = await service.update(superAdmin, { ...DEFAULT_BRANDING, primaryColour: '#eeeeee', logoUrl: 'javascript:x' });
    expect(r).to.deep.equal({ ok: false, error: { code: 'BRANDING.INVALID', problems: { primaryColour: 'contrast', logoUrl: 'url' } } });
    expect(await world.settings.branding()).to.deep.equal(DEFAULT_BRANDING);
  });

  it('the public look is cached, and a save drops the cache at once', async () => {
    const { service, reads, tick } = setup(1000);
    await service.look();
    await service.look();
    expect(reads()).to.equal(1);
    await service.update(superAdmin, { ...DEFAULT_BRANDING, heading: 'New' });
    // The save reads the stored branding once (to log what changed); the look then reads afresh.
    expect(reads()).to.equal(2);
    expect((await service.look()).branding.heading).to.equal('New');
    expect(reads()).to.equal(3);
    tick(1000);
    await service.look();
    expect(reads()).to.equal(4);
  });
});
