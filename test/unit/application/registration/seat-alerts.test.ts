/*
 * The seat-limit alert: the Super admins are mailed once a day when registrations are turned away
 * for lack of seats, and the registration tells the alert of every such answer.
 */
import { expect } from 'chai';
import { DailySeatAlerts } from '../../../../src/application/registration/seat-alerts.js';
import type { SeatAlertRepository } from '../../../../src/domain/ports/seat-alert.port.js';
import type { HostUser } from '../../../../src/domain/shared/user.js';
import type { Tx } from '../../../../src/domain/ports/unit-of-work.port.js';
import { FakeSeatAlerts, item, makeWorld, NOW, PORTAL, user } from '../../../support/fakes/index.js';
import { ada, refused, setup, topic } from './scenarios/visitor.scenario.js';

const superAdmin: HostUser = user('admin-1', { email: 'Boss@Acme.test', role: 'super_admin', type: 'staff' });
const standardAdmin: HostUser = user('admin-2', { role: 'standard_admin', type: 'staff' });

describe('application/registration/seat-alerts', () => {
  describe('DailySeatAlerts', () => {
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
      const service = new DailySeatAlerts({ uow: world.uow, alerts, outbox: world.outbox, users: world.users, portal: world.portal, clock: world.clock, logger: world.logger });
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

  describe('the seat-limit alert', () => {
    it('is told of every SEATS.EXHAUSTED answer, for new and known emails alike', async () => {
      const alerts = new FakeSeatAlerts();
      const { useCases } = setup({ alerts, configure: (w) => (w.db.state.seatsLeft = 0) });
      expect(await useCases.register.execute(ada)).to.deep.equal(refused('SEATS.EXHAUSTED'));
      expect(await useCases.register.execute({ ...ada, email: 'grace@example.com' })).to.deep.equal(refused('SEATS.EXHAUSTED'));
      expect(alerts.items).to.deep.equal([topic, topic]);
    });

    it('is not told when seats are left, and its failure never changes the answer', async () => {
      const alerts = new FakeSeatAlerts();
      const { useCases } = setup({ alerts });
      await useCases.register.execute(ada);
      expect(alerts.items).to.deep.equal([]);
      const failing = new FakeSeatAlerts();
      failing.fail = true;
      const full = setup({ alerts: failing, configure: (w) => (w.db.state.seatsLeft = 0) });
      expect(await full.useCases.register.execute(ada)).to.deep.equal(refused('SEATS.EXHAUSTED'));
      expect(full.world.logger.lines.map((l) => l.message)).to.include('Could not queue the seat-limit alert');
    });
  });
});
