import { expect } from 'chai';
import { ApiKeysService } from '../../../../src/application/api-keys/api-keys.service.js';
import { FakeRandom, makeWorld, NOW, sha256, user } from '../../../support/fakes.js';

const superAdmin = user('admin-1', { type: 'staff', role: 'super_admin', firstName: 'Alex', lastName: 'Admin' });
const standardAdmin = user('admin-2', { type: 'staff', role: 'standard_admin' });
const learner = user('learner-1');

function setup() {
  const world = makeWorld();
  world.db.state.users.push(superAdmin, standardAdmin, learner);
  const random = new FakeRandom();
  const service = new ApiKeysService({ keys: world.apiKeys, users: world.users, hasher: world.hasher, random, clock: world.clock });
  return { world, service };
}

describe('application/ApiKeysService', () => {
  it('only Super admins create, list and revoke keys', async () => {
    const { world, service } = setup();
    for (const actor of [null, learner, standardAdmin]) {
      expect(await service.create(actor, 'CRM')).to.deep.equal({ ok: false, error: { code: 'PERMISSION.DENIED' } });
      expect(await service.list(actor)).to.deep.equal({ ok: false, error: { code: 'PERMISSION.DENIED' } });
      expect(await service.revoke(actor, 'key-1')).to.deep.equal({ ok: false, error: { code: 'PERMISSION.DENIED' } });
    }
    expect(world.db.state.apiKeys ?? []).to.have.length(0);
  });

  it('creates a named key shown once; only its SHA-256 digest and a short hint are stored', async () => {
    const { world, service } = setup();
    const r = await service.create(superAdmin, '  CRM   sync ');
    expect(r.ok).to.equal(true);
    if (!r.ok) return;
    expect(r.value.key).to.match(/^srk_[A-Za-z0-9_-]{43}$/);
    expect(r.value.apiKey).to.include({ name: 'CRM sync', createdBy: 'admin-1', createdByName: 'Alex Admin', hint: r.value.key.slice(0, 10) });
    const stored = world.db.state.apiKeys![0]!;
    expect(stored.digest).to.equal(sha256(r.value.key));
    expect(JSON.stringify(world.db.state.apiKeys)).not.to.contain(r.value.key);
  });

  it('refuses a blank or overlong name', async () => {
    const { service } = setup();
    const r = await service.create(superAdmin, '   ');
    expect(!r.ok && r.error.code).to.equal('APIKEY.NAME_INVALID');
  });

  it('authenticates a bearer key as its owner and records the use', async () => {
    const { world, service } = setup();
    const created = await service.create(superAdmin, 'CRM');
    const key = created.ok ? created.value.key : '';
    const r = await service.authenticate(`Bearer ${key}`);
    expect(r.ok).to.equal(true);
    if (!r.ok) return;
    expect(r.value.user).to.equal(superAdmin);
    expect(r.value.channel).to.deep.equal({ via: 'api', apiKeyId: r.value.key.id, apiKeyName: 'CRM' });
    expect(world.apiKeys.touches).to.deep.equal([{ id: r.value.key.id, at: NOW }]);
  });

  it('answers AUTH.REQUIRED without a bearer credential and AUTH.INVALID_KEY for bad, unknown or revoked keys', async () => {
    const { service } = setup();
    const created = await service.create(superAdmin, 'CRM');
    const key = created.ok ? created.value.key : '';
    expect(await service.authenticate(undefined)).to.deep.equal({ ok: false, error: { code: 'AUTH.REQUIRED' } });
    expect(await service.authenticate(`Basic ${key}`)).to.deep.equal({ ok: false, error: { code: 'AUTH.REQUIRED' } });
    expect(await service.authenticate('Bearer nonsense')).to.deep.equal({ ok: false, error: { code: 'AUTH.INVALID_KEY' } });
    expect(await service.authenticate(`Bearer srk_${'Z'.repeat(43)}`)).to.deep.equal({ ok: false, error: { code: 'AUTH.INVALID_KEY' } });
    const revoked = await service.revoke(superAdmin, created.ok ? created.value.apiKey.id : '');
    expect(revoked.ok && revoked.value.revokedByName).to.equal('Alex Admin');
    expect(await service.authenticate(`Bearer ${key}`)).to.deep.equal({ ok: false, error: { code: 'AUTH.INVALID_KEY' } });
    expect(await service.revoke(superAdmin, created.ok ? created.value.apiKey.id : '')).to.deep.equal({ ok: false, error: { code: 'APIKEY.NOT_FOUND' } });
  });

  it('a key stops working when its owner is suspended or deleted', async () => {
    const { world, service } = setup();
    const created = await service.create(superAdmin, 'CRM');
    const key = created.ok ? created.value.key : '';
    world.db.state.users = world.db.state.users.map((u) => (u.id === 'admin-1' ? { ...u, status: 'suspended' } : u));
    expect(await service.authenticate(`Bearer ${key}`)).to.deep.equal({ ok: false, error: { code: 'AUTH.INVALID_KEY' } });
    world.db.state.users = world.db.state.users.filter((u) => u.id !== 'admin-1');
    expect(await service.authenticate(`Bearer ${key}`)).to.deep.equal({ ok: false, error: { code: 'AUTH.INVALID_KEY' } });
  });

  it('a key whose owner was demoted authenticates as that person, whose permissions now apply', async () => {
    const { world, service } = setup();
    const created = await service.create(superAdmin, 'CRM');
    world.db.state.users = world.db.state.users.map((u) => (u.id === 'admin-1' ? { ...u, role: null } : u));
    const r = await service.authenticate(`Bearer ${created.ok ? created.value.key : ''}`);
    expect(r.ok && r.value.user.role).to.equal(null);
  });
});
