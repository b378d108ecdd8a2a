/* AuthenticateApiKeyUseCase (and revoking): a bearer key acts as its owner as they are now. */
import { expect } from 'chai';
import { NOW } from '../../../support/fakes/index.js';
import { setup, superAdmin } from './api-key-use-cases.fixture.js';

describe('application/AuthenticateApiKeyUseCase', () => {
  it('authenticates a bearer key as its owner and records the use', async () => {
    const { world, uc } = setup();
    const created = await uc.create.execute(superAdmin, 'CRM');
    const key = created.ok ? created.value.key : '';
    const r = await uc.authenticate.execute(`Bearer ${key}`);
    expect(r.ok).to.equal(true);
    if (!r.ok) return;
    expect(r.value.user).to.equal(superAdmin);
    expect(r.value.channel).to.deep.equal({ via: 'api', apiKeyId: r.value.key.id, apiKeyName: 'CRM' });
    expect(world.apiKeys.touches).to.deep.equal([{ id: r.value.key.id, at: NOW }]);
  });

  it('answers AUTH.REQUIRED without a bearer credential and AUTH.INVALID_KEY for bad, unknown or revoked keys', async () => {
    const { uc } = setup();
    const created = await uc.create.execute(superAdmin, 'CRM');
    const key = created.ok ? created.value.key : '';
    expect(await uc.authenticate.execute(undefined)).to.deep.equal({ ok: false, error: { code: 'AUTH.REQUIRED' } });
    expect(await uc.authenticate.execute(`Basic ${key}`)).to.deep.equal({ ok: false, error: { code: 'AUTH.REQUIRED' } });
    expect(await uc.authenticate.execute('Bearer nonsense')).to.deep.equal({ ok: false, error: { code: 'AUTH.INVALID_KEY' } });
    expect(await uc.authenticate.execute(`Bearer srk_${'Z'.repeat(43)}`)).to.deep.equal({ ok: false, error: { code: 'AUTH.INVALID_KEY' } });
    const revoked = await uc.revoke.execute(superAdmin, created.ok ? created.value.apiKey.id : '');
    expect(revoked.ok && revoked.value.revokedByName).to.equal('Alex Admin');
    expect(await uc.authenticate.execute(`Bearer ${key}`)).to.deep.equal({ ok: false, error: { code: 'AUTH.INVALID_KEY' } });
    expect(await uc.revoke.execute(superAdmin, created.ok ? created.value.apiKey.id : '')).to.deep.equal({ ok: false, error: { code: 'APIKEY.NOT_FOUND' } });
  });

  it('a key stops working when its owner is suspended or deleted', async () => {
    const { world, uc } = setup();
    const created = await uc.create.execute(superAdmin, 'CRM');
    const key = created.ok ? created.value.key : '';
    world.db.state.users = world.db.state.users.map((u) => (u.id === 'admin-1' ? { ...u, status: 'suspended' } : u));
    expect(await uc.authenticate.execute(`Bearer ${key}`)).to.deep.equal({ ok: false, error: { code: 'AUTH.INVALID_KEY' } });
    world.db.state.users = world.db.state.users.filter((u) => u.id !== 'admin-1');
    expect(await uc.authenticate.execute(`Bearer ${key}`)).to.deep.equal({ ok: false, error: { code: 'AUTH.INVALID_KEY' } });
  });

  it('a key whose owner was demoted authenticates as that person, whose permissions now apply', async () => {
    const { world, uc } = setup();
    const created = await uc.create.execute(superAdmin, 'CRM');
    world.db.state.users = world.db.state.users.map((u) => (u.id === 'admin-1' ? { ...u, role: null } : u));
    const r = await uc.authenticate.execute(`Bearer ${created.ok ? created.value.key : ''}`);
    expect(r.ok && r.value.user.role).to.equal(null);
  });
});
