/* ListTokensQuery: the portal-wide Tokens page. */
import { expect } from 'chai';
import type { ListTokensQuery } from '../../../../src/application/tokens/list-tokens.query.js';
import { item, NOW, seedToken } from '../../../support/fakes/index.js';
import { article, setup, superAdmin, topic } from './admin-scene.fixture.js';

describe('application/ListTokensQuery (the portal-wide Tokens page)', () => {
  function seeded() {
    const s = setup();
    seedToken(s.world.db, 'a1', 'AAAAAAAAAAAA', topic.ref, { nickname: 'Newsletter March' });
    seedToken(s.world.db, 'a2', 'BBBBBBBBBBBB', topic.ref, { nickname: 'Website', enabled: false });
    seedToken(s.world.db, 'a3', 'CCCCCCCCCCCC', article.ref, { nickname: 'Fair', maxUses: 1, uses: 1 });
    seedToken(s.world.db, 'a4', 'DDDDDDDDDDDD', article.ref, { nickname: null, expiresAt: NOW });
    return s;
  }

  it('lists every token newest first, each with its item and status', async () => {
    const { uc } = seeded();
    const r = await uc.list.execute(superAdmin, {});
    expect(r.ok && r.value.tokens.map((t) => [t.id, t.status, t.itemInfo?.title])).to.deep.equal([
      ['a4', 'expired', 'Ladder safety'],
      ['a3', 'used_up', 'Ladder safety'],
      ['a2', 'disabled', 'Fire safety'],
      ['a1', 'active', 'Fire safety'],
    ]);
    expect(r.ok && r.value.total).to.equal(4);
  });

  it('filters by status and item type, and searches nickname, whole code (any spelling) and item title', async () => {
    const { uc, world } = seeded();
    const ids = async (input: Parameters<ListTokensQuery['execute']>[1]) => {
      const r = await uc.list.execute(superAdmin, input);
      return r.ok ? r.value.tokens.map((t) => t.id) : r.error.code;
    };
    expect(await ids({ status: 'disabled' })).to.deep.equal(['a2']);
    expect(await ids({ status: 'active' })).to.deep.equal(['a1']);
    expect(await ids({ itemType: 'article' })).to.deep.equal(['a4', 'a3']);
    expect(await ids({ q: 'news' })).to.deep.equal(['a1']);
    expect(await ids({ q: 'cccc-cccc-cccc' })).to.deep.equal(['a3']);
    expect(await ids({ q: 'ladder' })).to.deep.equal(['a4', 'a3']);
    expect(await ids({ item: topic.ref })).to.deep.equal(['a2', 'a1']);
    const text = world.tokens.searches.find((q) => q.text?.nickname === 'cccc-cccc-cccc')!.text!;
    expect(text.normalisedCode).to.equal('CCCCCCCCCCCC');
  });

  it('pages with a cursor and caps the page size at 100', async () => {
    const { uc, world } = seeded();
    const first = await uc.list.execute(superAdmin, { limit: 3 });
    expect(first.ok && first.value.tokens.map((t) => t.id)).to.deep.equal(['a4', 'a3', 'a2']);
    expect(first.ok && first.value.nextBeforeId).to.equal('a2');
    const second = await uc.list.execute(superAdmin, { limit: 3, beforeId: 'a2' });
    expect(second.ok && second.value.tokens.map((t) => t.id)).to.deep.equal(['a1']);
    expect(second.ok && second.value.nextBeforeId).to.equal(null);
    await uc.list.execute(superAdmin, { limit: 5000 });
    expect(world.tokens.searches.at(-1)!.limit).to.equal(100);
  });
});
