/* UpdateTokenUseCase: edits under a row lock, one audit entry per kind of change. */
import { expect } from 'chai';
import { seedToken, tokenIn } from '../../../support/fakes/index.js';
import { audit, library, setup, standardAdmin, superAdmin, topic } from './admin-scene.fixture.js';

describe('application/UpdateTokenUseCase', () => {
  it('changes nickname, expiry and max uses under a row lock, with one audit entry per kind of change', async () => {
    const { world, uc } = setup();
    seedToken(world.db, 't1', 'AAAAAAAAAAAA', topic.ref, { nickname: 'Fair', maxUses: 10, uses: 3 });
    const r = await uc.update.execute(standardAdmin, 't1', { nickname: ' Spring fair ', expiresOn: '2026-03-29', maxUses: 20 });
    expect(r.ok).to.equal(true);
    expect(world.tokens.locked).to.deep.equal(['t1']);
    const t = tokenIn(world.db, 't1');
    expect(t).to.include({ nickname: 'Spring fair', maxUses: 20 });
    expect(t.expiresAt!.toISOString()).to.equal('2026-03-29T23:00:00.000Z'); // BST from that morning
    expect(audit(world)).to.deep.equal([
      ['token.renamed', 't1', { from: 'Fair', to: 'Spring fair' }],
      ['token.expiry_changed', 't1', { from: null, to: '2026-03-29T23:00:00.000Z' }],
      ['token.max_uses_changed', 't1', { from: 10, to: 20 }],
    ]);
    expect(r.ok && r.value.status).to.equal('active');
  });

  it('an unchanged form changes nothing and logs nothing; the shown expiry date keeps the stored instant', async () => {
    const { world, uc } = setup(new Date('2026-05-01T12:00:00Z'));
    const expired = new Date('2026-04-01T23:00:00Z'); // end of 1 April (BST), already past
    seedToken(world.db, 't1', 'AAAAAAAAAAAA', topic.ref, { nickname: 'Fair', expiresAt: expired, maxUses: 10 });
    const r = await uc.update.execute(superAdmin, 't1', { nickname: 'Fair', expiresOn: '2026-04-01', maxUses: 10 });
    expect(r.ok && r.value.status).to.equal('expired');
    expect(world.audit.entries).to.have.length(0);
    expect(tokenIn(world.db, 't1').expiresAt).to.deep.equal(expired);
  });

  it('clearing expiry and max uses makes them unlimited', async () => {
    const { world, uc } = setup();
    seedToken(world.db, 't1', 'AAAAAAAAAAAA', topic.ref, { expiresAt: new Date('2026-12-31T00:00:00Z'), maxUses: 10 });
    await uc.update.execute(superAdmin, 't1', { expiresOn: '', maxUses: null });
    expect(tokenIn(world.db, 't1')).to.include({ expiresAt: null, maxUses: null });
    expect(audit(world).map((a) => a[0])).to.deep.equal(['token.expiry_changed', 'token.max_uses_changed']);
  });

  it('refuses max uses below the uses made, a bad nickname or a past date, changing nothing', async () => {
    const { world, uc } = setup();
    seedToken(world.db, 't1', 'AAAAAAAAAAAA', topic.ref, { nickname: 'Fair', maxUses: 10, uses: 6 });
    const below = await uc.update.execute(superAdmin, 't1', { nickname: 'New', maxUses: 5 });
    const nick = await uc.update.execute(superAdmin, 't1', { nickname: 'x'.repeat(101) });
    const past = await uc.update.execute(superAdmin, 't1', { expiresOn: '2025-01-01' });
    expect([below, nick, past].map((r) => !r.ok && r.error.code)).to.deep.equal(['TOKEN.MAX_USES_BELOW_USES', 'TOKEN.NICKNAME_INVALID', 'TOKEN.EXPIRY_IN_PAST']);
    expect(tokenIn(world.db, 't1')).to.include({ nickname: 'Fair', maxUses: 10 });
    expect(world.audit.entries).to.have.length(0);
  });

  it('answers TOKEN.NOT_FOUND for an unknown token', async () => {
    const { uc } = setup();
    expect(await uc.update.execute(superAdmin, 'nope', { nickname: 'x' })).to.deep.equal({ ok: false, error: { code: 'TOKEN.NOT_FOUND' } });
  });

  it('a token of library content may only be switched off', async () => {
    const { world, uc } = setup();
    seedToken(world.db, 'lib', 'LLLLLLLLLLLL', library.ref);
    const rename = await uc.update.execute(superAdmin, 'lib', { nickname: 'x' });
    expect(!rename.ok && rename.error.code).to.equal('KNOWLEDGE.LIBRARY_CONTENT');
    expect((await uc.setEnabled.execute(superAdmin, 'lib', false)).ok).to.equal(true);
    const enable = await uc.setEnabled.execute(superAdmin, 'lib', true);
    expect(!enable.ok && enable.error.code).to.equal('KNOWLEDGE.LIBRARY_CONTENT');
    expect(tokenIn(world.db, 'lib').enabled).to.equal(false);
  });
});
