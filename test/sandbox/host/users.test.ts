/* The users port, the sandbox-side user changes, credentials and access (host/users.port.ts, host/sandbox-admin.ts, host/credentials.port.ts, host/access.port.ts). */
import { expect } from 'chai';
import type { Knex } from 'knex';
import type { HostUser, HostV1 } from '../../../src/contract/index.js';
import type { TestSandbox } from '../helpers.js';
import { newUser, useHostPorts } from './host-ports.js';

describe('sandbox host ports', function () {
  const ports = useHostPorts();
  let t: TestSandbox;
  let host: HostV1;
  let knex: Knex;
  before(() => {
    ({ t, host, knex } = ports);
  });

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
});
