import { expect } from 'chai';
import express from 'express';
import type { Knex } from 'knex';
import supertest from 'supertest';
import type { HostUser, HostV1 } from '../../src/contract/index.js';
import { HostEventBus } from '../../sandbox/host/events.port.js';
import { createLogger } from '../../sandbox/host/logger.port.js';
import { PanelRegistry } from '../../sandbox/host/panels.port.js';
import { observed } from './fixtures/fake-plugin.js';
import { FAKE_PLUGIN, startTestSandbox } from './helpers.js';
import type { TestSandbox } from './helpers.js';

describe('sandbox host ports', function () {
  let t: TestSandbox;
  let host: HostV1;
  let knex: Knex;

  before(async () => {
    t = await startTestSandbox({ seed: false, env: { SEAT_LIMIT: '2', PUBLIC_BASE_URL: 'https://learn.example.com' } });
    host = t.sandbox.host;
    knex = t.knex;
  });
  after(async () => t?.destroy());

  beforeEach(async () => {
    await knex('sandbox_users').delete();
    await knex('sandbox_items').delete();
    await knex('sandbox_portal').insert({ id: 1, name: 'Test Portal', primary_admin_email: 'boss@example.com', time_zone: 'Europe/Paris', seat_limit: 2 }).onConflict('id').merge();
  });

  const newUser = (email: string) => ({ email, firstName: 'Pat', lastName: 'Prospect', type: 'prospect' as const });

  describe('users', () => {
    it('creates active users without a password, with string ids, found case-insensitively', async () => {
      const user = await host.users.create(newUser('Pat@Example.com'));
      expect(user).to.deep.include({ email: 'Pat@Example.com', firstName: 'Pat', type: 'prospect', role: null, status: 'active' });
      expect(user.id).to.be.a('string').and.match(/^\d+$/);
      expect(await host.users.findByEmail('  pat@EXAMPLE.com ')).to.deep.equal(user);
      expect(await host.users.findById(user.id)).to.deep.equal(user);
      expect(await host.users.findById('nope')).to.equal(null);
      const row = await knex('sandbox_users').where({ id: Number(user.id) }).first();
      expect(row.password_hash).to.equal(null);
    });

    it('refuses a second user with the same email in another case', async () => {
      await host.users.create(newUser('dup@example.com'));
      let failed = false;
      try {
        await host.users.create(newUser('DUP@example.com'));
      } catch {
        failed = true;
      }
      expect(failed).to.equal(true);
    });

    it('emits user.created only after the transaction commits, and never on rollback', async () => {
      const seen: HostUser[] = [];
      const off = host.events.on('user.created', ({ user }) => {
        seen.push(user);
      });
      try {
        await knex.transaction(async (trx) => {
          await host.users.create(newUser('later@example.com'), trx);
          await new Promise((r) => setTimeout(r, 20));
          expect(seen).to.have.length(0);
        });
        await new Promise((r) => setTimeout(r, 20));
        expect(seen.map((u) => u.email)).to.deep.equal(['later@example.com']);

        await knex.transaction(async (trx) => {
          await host.users.create(newUser('never@example.com'), trx);
          throw new Error('roll back');
        }).catch(() => {});
        await new Promise((r) => setTimeout(r, 20));
        expect(seen).to.have.length(1);
        expect(await host.users.findByEmail('never@example.com')).to.equal(null);
      } finally {
        off();
      }
    });

    it('runs on the given transaction (the user is invisible outside until commit)', async () => {
      const trx = await knex.transaction();
      try {
        const user = await host.users.create(newUser('tx@example.com'), trx);
        expect(await host.users.findById(user.id, trx)).to.deep.equal(user);
        expect(await host.users.findByEmail('tx@example.com', trx)).to.deep.equal(user);
      } finally {
        await trx.rollback();
      }
      expect(await host.users.findByEmail('tx@example.com')).to.equal(null);
    });
  });

  describe('sandbox-side changes', () => {
    it('emit user.updated (with the previous email) and user.deleted', async () => {
      const user = await host.users.create(newUser('old@example.com'));
      const seen: unknown[] = [];
      const offs = [
        host.events.on('user.updated', (p) => {
          seen.push(['updated', p.user.email, p.previousEmail]);
        }),
        host.events.on('user.deleted', (p) => {
          seen.push(['deleted', p.userId]);
        }),
      ];
      try {
        await t.sandbox.admin.updateUser(user.id, { email: 'new@example.com' });
        await t.sandbox.admin.updateUser(user.id, { firstName: 'Robin' });
        expect(await t.sandbox.admin.deleteUser(user.id)).to.equal(true);
        expect(await t.sandbox.admin.deleteUser(user.id)).to.equal(false);
        expect(seen).to.deep.equal([
          ['updated', 'new@example.com', 'old@example.com'],
          ['updated', 'new@example.com', undefined],
          ['deleted', user.id],
        ]);
      } finally {
        offs.forEach((off) => off());
      }
    });
  });

  describe('enrolments and catalogue', () => {
    it('enrols idempotently and answers isEnrolled', async () => {
      const user = await host.users.create(newUser('learner@example.com'));
      const [row] = await knex('sandbox_items').insert({ type: 'topic', title: 'A topic', body: '', origin: 'own' }).returning('id');
      const item = { type: 'topic' as const, id: String(row.id) };
      const events: unknown[] = [];
      const off = host.events.on('enrolment.created', (p) => {
        events.push(p);
      });
      try {
        expect(await host.enrolments.isEnrolled(user.id, item)).to.equal(false);
        expect(await knex.transaction((trx) => host.enrolments.enrol(user.id, item, trx))).to.deep.equal({ created: true });
        expect(await host.enrolments.enrol(user.id, item)).to.deep.equal({ created: false });
        expect(await host.enrolments.isEnrolled(user.id, item)).to.equal(true);
        await new Promise((r) => setTimeout(r, 20));
        expect(events).to.deep.equal([{ userId: user.id, item }]);
        const rows = await knex('sandbox_enrolments').where({ user_id: Number(user.id) });
        expect(rows).to.have.length(1);
        expect(rows[0].source).to.equal('self-registration');
      } finally {
        off();
      }
    });

    it('gets and lists items with learner URLs and origins', async () => {
      const [own] = await knex('sandbox_items').insert({ type: 'article', title: 'Own', body: '', origin: 'own' }).returning('id');
      const [lib] = await knex('sandbox_items').insert({ type: 'topic', title: 'Lib', body: '', origin: 'library' }).returning('id');
      expect(await host.catalogue.get({ type: 'article', id: String(own.id) })).to.deep.equal({
        ref: { type: 'article', id: String(own.id) }, title: 'Own', origin: 'own', learnerUrl: `/items/article/${own.id}`,
      });
      expect(await host.catalogue.get({ type: 'topic', id: String(own.id) }), 'wrong type').to.equal(null);
      expect(await host.catalogue.get({ type: 'topic', id: 'abc' })).to.equal(null);
      expect((await host.catalogue.list()).map((i) => i.title)).to.deep.equal(['Own', 'Lib']);
      expect((await host.catalogue.list({ type: 'topic' })).map((i) => [i.title, i.origin])).to.deep.equal([['Lib', 'library']]);
      expect(lib.id).to.be.a('number');
    });
  });

  describe('portal and seats', () => {
    it('reports the portal from its row and the public URL from config, never the request', async () => {
      expect(await host.portal.info()).to.deep.equal({
        name: 'Test Portal', primaryAdminEmail: 'boss@example.com', publicBaseUrl: 'https://learn.example.com', timeZone: 'Europe/Paris',
      });
    });

    it('claims seats under a lock: with 2 seats, three sequential registrations give true, true, false', async () => {
      const results: boolean[] = [];
      for (const email of ['a@example.com', 'b@example.com', 'c@example.com']) {
        await knex.transaction(async (trx) => {
          const claimed = await host.seats.claim(trx);
          results.push(claimed);
          if (!claimed) throw new Error('no seat');
          await host.users.create(newUser(email), trx);
        }).catch((e: Error) => {
          if (e.message !== 'no seat') throw e;
        });
      }
      expect(results).to.deep.equal([true, true, false]);
      expect(await host.seats.available()).to.equal(0);
      expect(await knex('sandbox_users').count({ n: '*' })).to.satisfy((r: { n: string | number }[]) => Number(r[0]!.n) === 2);
    });

    it('lets exactly the free number of parallel registrations through', async () => {
      const attempts = Array.from({ length: 6 }, (_, i) => knex.transaction(async (trx) => {
        if (!(await host.seats.claim(trx))) return false;
        await host.users.create(newUser(`p${i}@example.com`), trx);
        return true;
      }));
      const outcomes = await Promise.all(attempts);
      expect(outcomes.filter(Boolean)).to.have.length(2);
      expect(await host.seats.available()).to.equal(0);
    });

    it('reports unlimited seats as null', async () => {
      await knex('sandbox_portal').where({ id: 1 }).update({ seat_limit: null });
      expect(await host.seats.available()).to.equal(null);
      expect(await knex.transaction((trx) => host.seats.claim(trx))).to.equal(true);
    });
  });

  describe('credentials', () => {
    it('applies the password policy and stores a hash', async () => {
      const user = await host.users.create(newUser('pw@example.com'));
      expect(await host.credentials.setPassword(user.id, 'short')).to.deep.include({ ok: false });
      expect(await host.credentials.setPassword(user.id, 'aaaaaaaaaaaa')).to.deep.include({ ok: false });
      expect(await host.credentials.setPassword('999999', 'a fine password')).to.deep.include({ ok: false });
      expect(await knex.transaction((trx) => host.credentials.setPassword(user.id, 'a fine password', trx))).to.deep.equal({ ok: true });
      const row = await knex('sandbox_users').where({ id: Number(user.id) }).first();
      expect(row.password_hash).to.match(/^scrypt\$/);
      expect(row.password_hash).not.to.contain('a fine password');
    });
  });

  describe('access', () => {
    it('builds sign-in URLs with an encoded returnTo', () => {
      expect(host.access.signInUrl('/register/ABCD-EFGH?x=1&y=2')).to.equal('/login?returnTo=%2Fregister%2FABCD-EFGH%3Fx%3D1%26y%3D2');
    });
  });

  describe('devMailbox', () => {
    it('stores delivered messages', async () => {
      await host.devMailbox!.deliver({ from: 'a@x.test', to: 'b@x.test', subject: 'Hi', raw: 'Subject: Hi\r\n\r\nHello', text: 'Hello', messageId: '<1@x.test>' });
      const row = await knex('sandbox_mailbox').where({ message_id: '<1@x.test>' }).first();
      expect(row).to.include({ from: 'a@x.test', to: 'b@x.test', subject: 'Hi', text: 'Hello', html: null });
    });
  });

  describe('http mounts and plugin lifecycle', () => {
    it('routes to a mounted router and 404s once it is unmounted', async () => {
      const router = express.Router();
      router.get('/hello', (_req, res) => {
        res.send('hello');
      });
      const mounted = host.http.mount('/temp', router, 'public');
      await supertest(t.sandbox.app).get('/temp/hello').expect(200, 'hello');
      await supertest(t.sandbox.app).get('/tempx/hello').expect(404);
      mounted.unmount();
      mounted.unmount();
      await supertest(t.sandbox.app).get('/temp/hello').expect(404);
    });

    it('refuses bad paths and the host\'s own paths', () => {
      const router = express.Router();
      expect(() => host.http.mount('/login', router, 'public')).to.throw(/overlaps/);
      expect(() => host.http.mount('/admin', router, 'admin')).to.throw(/overlaps/);
      expect(() => host.http.mount('/a/:id', router, 'public')).to.throw(/Mount path/);
      expect(() => host.http.mount('/trailing/', router, 'public')).to.throw(/Mount path/);
    });

    it('falls through to the next handler when a mounted router does not answer', async () => {
      const router = express.Router();
      router.get('/only', (_req, res) => {
        res.send('only');
      });
      const mounted = host.http.mount('/fallthrough', router, 'api');
      try {
        await supertest(t.sandbox.app).get('/fallthrough/other').expect(404);
      } finally {
        mounted.unmount();
      }
    });

    it('passes the plugin its options and survives stop/start/stop without duplicates', async () => {
      expect(observed.options).to.deep.include({ secret: t.config.secret, mailFrom: 'no-reply@learn.example.com' });
      const plugin = t.sandbox.plugin!;
      expect(plugin.manifest.id).to.equal('self-registration');
      await supertest(t.sandbox.app).get('/fake').expect(200, 'fake plugin home');
      await plugin.instance.stop();
      await supertest(t.sandbox.app).get('/fake').expect(404);
      expect(t.sandbox.panels.list('item.settings')).to.have.length(0);
      expect(t.sandbox.events.listenerCount('item.deleted')).to.equal(0);
      await plugin.instance.start();
      await plugin.instance.stop();
      await plugin.instance.start();
      expect(t.sandbox.mounts.list().filter((m) => m.path === '/fake')).to.have.length(1);
      expect(t.sandbox.panels.list('item.settings')).to.have.length(1);
      expect(t.sandbox.events.listenerCount('item.deleted')).to.equal(1);
      await supertest(t.sandbox.app).get('/fake').expect(200);
    });

    it('refuses to load a plugin twice', async () => {
      let message = '';
      await t.sandbox.loadPlugin({ entry: FAKE_PLUGIN }).catch((e: Error) => {
        message = e.message;
      });
      expect(message).to.match(/already loaded/);
    });
  });
});

describe('host event bus and panel registry', () => {
  it('awaits handlers, logs errors and time-outs, and never throws', async () => {
    const logger = createLogger({ quiet: true });
    const bus = new HostEventBus(logger.pino, 50);
    const order: string[] = [];
    bus.on('user.deleted', () => {
      throw new Error('boom');
    });
    bus.on('user.deleted', () => new Promise<void>(() => {}));
    const off = bus.on('user.deleted', async ({ userId }) => {
      order.push(userId);
    });
    await bus.emit('user.deleted', { userId: '7' });
    expect(order).to.deep.equal(['7']);
    expect(logger.entries.filter((e) => e.level === 'error')).to.have.length(2);
    off();
    await bus.emit('user.deleted', { userId: '8' });
    expect(order).to.deep.equal(['7']);
    expect(() => bus.on('nope' as 'user.deleted', () => {})).to.throw(/Unknown host event/);
  });

  it('replaces a panel registered again under the same id; a stale unregister keeps the new one', async () => {
    const registry = new PanelRegistry(createLogger({ quiet: true }).pino);
    const first = registry.register({ slot: 'portal.settings', id: 'p', title: 'One', render: async () => 'one' });
    registry.register({ slot: 'portal.settings', id: 'p', title: 'Two', render: async () => 'two' });
    expect(registry.list('portal.settings').map((p) => p.title)).to.deep.equal(['Two']);
    first();
    expect(registry.list('portal.settings').map((p) => p.title)).to.deep.equal(['Two']);
  });
});
