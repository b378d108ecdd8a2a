/* CreateTokenUseCase: expiry in the portal’s time zone, max uses, and the audit entry. */
import { expect } from 'chai';
import { item, seedToken } from '../../../support/fakes/index.js';
import { article, audit, setup, standardAdmin, superAdmin, topic } from './admin-scene.fixture.js';

describe('application/CreateTokenUseCase: expiry, max uses, audited', () => {
  it('turns the expiry date into the end of that day in the portal’s time zone (Europe/London in summer)', async () => {
    const { world, uc } = setup();
    const r = await uc.create.execute(standardAdmin, topic.ref, { nickname: 'Fair', expiresOn: '2026-06-30', maxUses: 25 });
    expect(r.ok).to.equal(true);
    expect(world.tokens.inserts[0]).to.include({ maxUses: 25, createdBy: 'admin-2', createdByName: 'Erin Editor' });
    expect(world.tokens.inserts[0]!.expiresAt!.toISOString()).to.equal('2026-06-30T23:00:00.000Z');
    expect(world.audit.entries).to.have.length(1);
    expect(world.audit.entries[0]).to.deep.include({
      action: 'token.created',
      actor: { id: 'admin-2', name: 'Erin Editor', via: 'panel' },
      tokenNickname: 'Fair',
      item: topic.ref,
      details: { custom: false, expiresAt: '2026-06-30T23:00:00.000Z', maxUses: 25 },
    });
  });

  it('refuses a past expiry date and bad max uses, writing nothing', async () => {
    const { world, uc } = setup();
    const past = await uc.create.execute(superAdmin, topic.ref, { expiresOn: '2026-02-28' });
    const zero = await uc.create.execute(superAdmin, topic.ref, { maxUses: 0 });
    const fraction = await uc.create.execute(superAdmin, topic.ref, { maxUses: 2.5 });
    expect([past, zero, fraction].map((r) => !r.ok && r.error.code)).to.deep.equal(['TOKEN.EXPIRY_IN_PAST', 'TOKEN.MAX_USES_INVALID', 'TOKEN.MAX_USES_INVALID']);
    expect(world.tokens.inserts).to.have.length(0);
    expect(world.audit.entries).to.have.length(0);
  });

  it('a taken custom code writes no audit entry', async () => {
    const { world, uc } = setup();
    seedToken(world.db, 'old', '0PENDAY2026', article.ref);
    const r = await uc.create.execute(superAdmin, topic.ref, { customCode: 'OPEN-DAY-2026' });
    expect(!r.ok && r.error.code).to.equal('TOKEN.CODE_TAKEN');
    expect(world.audit.entries).to.have.length(0);
  });

  it('records the API key a creation came through', async () => {
    const { world, uc } = setup();
    await uc.create.execute(superAdmin, topic.ref, {}, { via: 'api', apiKeyId: 'k1', apiKeyName: 'CRM' });
    expect(world.audit.entries[0]!.actor).to.deep.equal({ id: 'admin-1', name: 'Alex Admin', via: 'api', apiKeyId: 'k1', apiKeyName: 'CRM' });
  });
});
