/* DeleteTokenUseCase: the code goes, the audit log keeps the nickname. */
import { expect } from 'chai';
import { item, seedToken } from '../../../support/fakes/index.js';
import { audit, setup, superAdmin, topic } from './admin-scene.fixture.js';

describe('application/DeleteTokenUseCase', () => {
  it('removes the token (and its code) and keeps an audit entry with the nickname snapshot', async () => {
    const { world, uc } = setup();
    seedToken(world.db, 't1', 'AAAAAAAAAAAA', topic.ref, { nickname: 'Fair', uses: 2 });
    const r = await uc.delete.execute(superAdmin, 't1');
    expect(r.ok && r.value.id).to.equal('t1');
    expect(world.db.state.tokens).to.have.length(0);
    expect(world.db.state.tokenCodes).to.deep.equal({});
    expect(world.audit.entries[0]).to.deep.include({ action: 'token.deleted', tokenId: 't1', tokenNickname: 'Fair', item: topic.ref, details: { uses: 2 } });
    expect(JSON.stringify(world.audit.entries)).not.to.contain('AAAAAAAAAAAA');
    expect(await uc.delete.execute(superAdmin, 't1')).to.deep.equal({ ok: false, error: { code: 'TOKEN.NOT_FOUND' } });
    expect(world.audit.entries).to.have.length(1);
  });
});
