/* BrandingService, SeatAlertService and the read-cache helpers, on the in-memory fakes. */
import { expect } from 'chai';
import { BrandingService } from '../../../../src/application/branding/branding.service.js';
import { ChangeSignal, invalidatingOnWrite, ReadCache } from '../../../../src/application/shared/read-cache.js';
import { SeatAlertService } from '../../../../src/application/registration/seat-alerts.service.js';
import { DEFAULT_BRANDING, type SettingsRepository } from '../../../../src/domain/ports/repositories.port.js';
import type { SeatAlertRepository } from '../../../../src/domain/ports/seat-alert.port.js';
import type { HostUser } from '../../../../src/domain/shared/user.js';
import type { Tx } from '../../../../src/domain/ports/unit-of-work.port.js';
import { item, makeWorld, NOW, PORTAL, user } from '../../../support/fakes.js';

const superAdmin: HostUser = user('admin-1', { email: 'Boss@Acme.test', role: 'super_admin', type: 'staff' });
const standardAdmin: HostUser = user('admin-2', { role: 'standard_admin', type: 'staff' });
const learner: HostUser = user('learner', { role: null });

describe('application/BrandingService', () => {
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
    const service = new BrandingService({ settings: counted, portal: world.portal, signal, cacheMs, millis: () => millis });
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
    expect((await service.look()).branding.heading).to.equal('New');
    expect(reads()).to.equal(2);
    tick(1000);
    await service.look();
    expect(reads()).to.equal(3);
  });
});

describe('application/SeatAlertService', () => {
  class MemoryAlerts implements SeatAlertRepository {
    readonly days = new Set<string>();
    calls = 0;
    async claimDay(day: string, _at: Date, _tx: Tx): Promise<boolean> {
      this.calls += 1;
      if (this.days.has(day)) return false;
      this.days.add(day);
      return true;
    }
  }

  function setup(admins?: HostUser[]) {
    const world = makeWorld(new Date('2026-03-01T22:30:00Z'));
    if (admins) (world.users as unknown as { listAdmins: (role: string) => Promise<HostUser[]> }).listAdmins = async (role) => admins.filter((a) => a.role === role);
    world.portal.portal = { ...PORTAL, timeZone: 'Europe/Berlin' };
    const alerts = new MemoryAlerts();
    const service = new SeatAlertService({ uow: world.uow, alerts, outbox: world.outbox, users: world.users, portal: world.portal, clock: world.clock, logger: world.logger });
    return { world, alerts, service };
  }
  const topic = item('topic', '7', { title: 'Safety' });

  it('mails every active Super admin once a day (in the portal’s time zone), with plain data', async () => {
    const { world, alerts, service } = setup([superAdmin, standardAdmin, user('admin-3', { email: 'boss@acme.test', role: 'super_admin' }), user('admin-4', { email: 'gone@acme.test', role: 'super_admin', status: 'suspended' })]);
    await service.seatsExhausted(topic);
    await service.seatsExhausted(topic);
    expect(world.db.state.outbox).to.deep.equal([
      {
        to: 'boss@acme.test',
        template: 'seat-limit-alert',
        data: { day: '2026-03-01', timeZone: 'Europe/Berlin', at: '2026-03-01T22:30:00.000Z', itemTitle: 'Safety', itemType: 'topic', itemTypeName: 'Topic' },
      },
    ]);
    expect(JSON.parse(JSON.stringify(world.db.state.outbox))).to.deep.equal(world.db.state.outbox);
    // The second refusal that day cost no query at all.
    expect(alerts.calls).to.equal(1);
    // 23:30 in Berlin is the next day there: a new alert.
    world.clock.advance(60 * 60 * 1000);
    await service.seatsExhausted(topic);
    expect(world.db.state.outbox.map((m) => m.data.day)).to.deep.equal(['2026-03-01', '2026-03-02']);
  });

  it('another instance that alerted today wins: nothing is queued here', async () => {
    const { world, alerts, service } = setup([superAdmin]);
    alerts.days.add('2026-03-01');
    await service.seatsExhausted(topic);
    expect(world.db.state.outbox).to.deep.equal([]);
  });

  it('without listAdmins (an optional host method) the primary admin is told', async () => {
    const { world, service } = setup();
    await service.seatsExhausted(topic);
    expect(world.db.state.outbox.map((m) => m.to)).to.deep.equal([PORTAL.primaryAdminEmail]);
    expect(NOW).to.be.instanceOf(Date);
  });
});

describe('application/read-cache', () => {
  it('ReadCache shares one load between concurrent callers and keeps nothing loaded across a write', async () => {
    const signal = new ChangeSignal();
    const cache = new ReadCache<string, number>(signal, 1000, () => 0);
    let loads = 0;
    let release: () => void = () => {};
    const slow = () => new Promise<number>((resolve) => {
      loads += 1;
      release = () => resolve(loads);
    });
    const a = cache.get('k', slow);
    const b = cache.get('k', slow);
    release();
    expect(await Promise.all([a, b])).to.deep.equal([1, 1]);
    expect(loads).to.equal(1);
    // A write while loading: the value is returned but not kept.
    const c = cache.get('j', slow);
    signal.bump();
    release();
    await c;
    await cache.get('j', async () => 99);
    expect(await cache.get('j', async () => 100)).to.equal(99);
  });

  it('invalidatingOnWrite bumps on writes (before and after), never on reads or ignored methods', async () => {
    const signal = new ChangeSignal();
    const repo = {
      n: 0,
      async findById() { return this.n; },
      async portalEnabled() { return true; },
      async claimUse() { this.n += 1; },
      async update() { this.n += 10; },
      async search() { return []; },
      async somethingNew() { return 'x'; },
    };
    const wrapped = invalidatingOnWrite(repo, signal, { reads: ['portalEnabled'], ignore: ['claimUse'] });
    await wrapped.findById();
    await wrapped.portalEnabled();
    await wrapped.claimUse();
    await wrapped.search();
    expect(signal.current).to.equal(0);
    await wrapped.update();
    expect(signal.current).to.equal(2);
    expect(await wrapped.somethingNew()).to.equal('x');
    expect(signal.current).to.equal(4);
    expect(repo.n).to.equal(11);
  });
});
