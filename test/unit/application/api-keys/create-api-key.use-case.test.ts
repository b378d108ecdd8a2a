/* CreateApiKeyUseCase: a named key shown once, stored as a digest. */
import { expect } from 'chai';
import { sha256 } from '../../../support/fakes/index.js';
import { setup, superAdmin } from './api-key-use-cases.fixture.js';

describe('application/CreateApiKeyUseCase', () => {
  it('creates a named key shown once; only its SHA-256 digest and a short hint are stored', async () => {
    const { world, uc } = setup();
    const r = await uc.create.execute(superAdmin, '  CRM   sync ');
    expect(r.ok).to.equal(true);
    if (!r.ok) return;
    expect(r.value.key).to.match(/^srk_[A-Za-z0-9_-]{43}$/);
    expect(r.value.apiKey).to.include({ name: 'CRM sync', createdBy: 'admin-1', createdByName: 'Alex Admin', hint: r.value.key.slice(0, 10) });
    const stored = world.db.state.apiKeys![0]!;
    expect(stored.digest).to.equal(sha256(r.value.key));
    expect(JSON.stringify(world.db.state.apiKeys)).not.to.contain(r.value.key);
  });

  it('refuses a blank or overlong name', async () => {
    const { uc } = setup();
    const r = await uc.create.execute(superAdmin, '   ');
    expect(!r.ok && r.error.code).to.equal('APIKEY.NAME_INVALID');
  });

  it('refuses the name of a live key (any case), and allows it again once that key is revoked', async () => {
    const { uc } = setup();
    const first = await uc.create.execute(superAdmin, 'CRM sync');
    const second = await uc.create.execute(superAdmin, 'crm SYNC');
    expect(!second.ok && second.error.code).to.equal('APIKEY.NAME_TAKEN');
    if (!first.ok) throw new Error('first key');
    await uc.revoke.execute(superAdmin, first.value.apiKey.id);
    expect((await uc.create.execute(superAdmin, 'CRM sync')).ok).to.equal(true);
  });

  it('the same form posted twice (a reload) creates one key', async () => {
    const { world, uc } = setup();
    expect((await uc.create.execute(superAdmin, 'CRM', 'form-abc')).ok).to.equal(true);
    const again = await uc.create.execute(superAdmin, 'CRM', 'form-abc');
    expect(!again.ok && again.error.code).to.equal('APIKEY.ALREADY_CREATED');
    expect(world.db.state.apiKeys).to.have.length(1);
  });

  it('creating and revoking are in the audit log, with the key\'s name and hint, never the key', async () => {
    const { world, uc } = setup();
    const r = await uc.create.execute(superAdmin, 'CRM');
    if (!r.ok) throw new Error('key');
    await uc.revoke.execute(superAdmin, r.value.apiKey.id);
    const entries = (await world.audit.list({ limit: 10 })).entries;
    expect(entries.map((e) => [e.action, e.details.name, e.details.hint, e.actor.name])).to.deep.equal([
      ['apikey.revoked', 'CRM', r.value.apiKey.hint, 'Alex Admin'],
      ['apikey.created', 'CRM', r.value.apiKey.hint, 'Alex Admin'],
    ]);
    expect(JSON.stringify(entries)).not.to.contain(r.value.key);
  });
});
