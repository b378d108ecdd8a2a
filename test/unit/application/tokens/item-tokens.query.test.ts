/* ItemTokensQuery: an item’s tokens with their status now. */
import { expect } from 'chai';
import { item, NOW, seedToken } from '../../../support/fakes/index.js';
import { libraryArticle, setup, superAdmin, topic } from './token-use-cases.fixture.js';

describe('application/ItemTokensQuery', () => {
  it('refuses an unknown item', async () => {
    const { uc } = setup();
    expect(await uc.itemTokens.execute(superAdmin, { type: 'topic', id: 'nope' })).to.deep.equal({
      ok: false,
      error: { code: 'KNOWLEDGE.NOT_FOUND' },
    });
  });

  it('lists nothing for library content and says tokens are not allowed', async () => {
    const { world, uc } = setup();
    seedToken(world.db, 't9', 'LIBRARY12345', libraryArticle.ref);
    expect(await uc.itemTokens.execute(superAdmin, libraryArticle.ref)).to.deep.equal({
      ok: true,
      value: { item: libraryArticle, tokensAllowed: false, tokens: [] },
    });
  });

  it("lists the item's tokens only, each with its status at the clock's now", async () => {
    const { world, uc } = setup();
    const other = item('pathway', '1');
    world.db.state.items.push(other);
    seedToken(world.db, 'a', 'AAAAAAAAAAAA', topic.ref);
    seedToken(world.db, 'd', 'DDDDDDDDDDDD', topic.ref, { enabled: false });
    seedToken(world.db, 'e', 'EEEEEEEEEEEE', topic.ref, { expiresAt: NOW });
    seedToken(world.db, 'u', 'UUUUUUUUUUUU', topic.ref, { maxUses: 2, uses: 2 });
    seedToken(world.db, 'x', 'XXXXXXXXXXXX', other.ref);
    const r = await uc.itemTokens.execute(superAdmin, topic.ref);
    expect(r.ok).to.equal(true);
    if (!r.ok) return;
    expect(r.value.item).to.equal(topic);
    expect(r.value.tokensAllowed).to.equal(true);
    // Newest first: the token just created is on top.
    expect(r.value.tokens.map((t) => [t.id, t.status])).to.deep.equal([
      ['u', 'used_up'],
      ['e', 'expired'],
      ['d', 'disabled'],
      ['a', 'active'],
    ]);
    expect(r.value.tokens[0]).to.include({ maxUses: 2, uses: 2, enabled: true });
  });

  it('computes the status again when the clock moves', async () => {
    const { world, uc } = setup();
    seedToken(world.db, 'a', 'AAAAAAAAAAAA', topic.ref, { expiresAt: new Date(NOW.getTime() + 1000) });
    const before = await uc.itemTokens.execute(superAdmin, topic.ref);
    world.clock.advance(1000);
    const after = await uc.itemTokens.execute(superAdmin, topic.ref);
    expect(before.ok && before.value.tokens[0]!.status).to.equal('active');
    expect(after.ok && after.value.tokens[0]!.status).to.equal('expired');
  });
});
