/* AuditLogQuery: the audit log, newest first. */
import { expect } from 'chai';
import { item } from '../../../support/fakes/index.js';
import { article, audit, setup, superAdmin, topic } from './admin-scene.fixture.js';

describe('application/AuditLogQuery', () => {
  it('lists audit entries newest first, for an item or the whole portal, with a cursor', async () => {
    const { world, uc } = setup();
    await uc.create.execute(superAdmin, topic.ref, { nickname: 'One' });
    await uc.create.execute(superAdmin, article.ref, { nickname: 'Two' });
    await uc.create.execute(superAdmin, topic.ref, { nickname: 'Three' });
    const forTopic = await uc.auditLog.execute(superAdmin, { item: topic.ref });
    expect(forTopic.ok && forTopic.value.entries.map((e) => e.tokenNickname)).to.deep.equal(['Three', 'One']);
    const page = await uc.auditLog.execute(superAdmin, { limit: 2 });
    expect(page.ok && page.value.entries.map((e) => e.tokenNickname)).to.deep.equal(['Three', 'Two']);
    const rest = await uc.auditLog.execute(superAdmin, { limit: 2, beforeId: page.ok ? page.value.nextBeforeId! : '' });
    expect(rest.ok && rest.value.entries.map((e) => e.tokenNickname)).to.deep.equal(['One']);
    expect(world.audit.entries).to.have.length(3);
  });
});
