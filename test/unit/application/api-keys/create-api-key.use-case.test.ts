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
});
