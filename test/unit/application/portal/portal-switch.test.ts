/* The portal-wide switch: only Super admins flip it; every admin sees it. */
import { expect } from 'chai';
import { makeWorld, user } from '../../../support/fakes/index.js';
import { tokenUseCases } from '../tokens/token-use-cases.fixture.js';

const superAdmin = user('admin-1', { type: 'staff', role: 'super_admin', firstName: 'Alex', lastName: 'Admin' });
const standardAdmin = user('admin-2', { type: 'staff', role: 'standard_admin', firstName: 'Erin', lastName: 'Editor' });
const learner = user('learner-1');

describe('application/portal: the switch (SwitchPortalUseCase, PortalStatusQuery)', () => {
  it('only Super admins flip the switch; each real change is audited', async () => {
    const world = makeWorld();
    const { switchPortal, portalStatus } = tokenUseCases(world);
    expect(await switchPortal.execute(standardAdmin, false)).to.deep.equal({ ok: false, error: { code: 'PERMISSION.DENIED' } });
    expect(await switchPortal.execute(null, false)).to.deep.equal({ ok: false, error: { code: 'PERMISSION.DENIED' } });
    expect(world.db.state.portalEnabled).to.equal(true);
    expect(await switchPortal.execute(superAdmin, false)).to.deep.equal({ ok: true, value: { enabled: false, changed: true } });
    expect(await switchPortal.execute(superAdmin, false)).to.deep.equal({ ok: true, value: { enabled: false, changed: false } });
    expect(world.db.state.portalEnabled).to.equal(false);
    expect(world.audit.entries.map((e) => [e.action, e.actor.name])).to.deep.equal([['portal.disabled', 'Alex Admin']]);
  });

  it('every admin sees the state; only Super admins may change it; learners see nothing', async () => {
    const world = makeWorld();
    const { switchPortal, portalStatus } = tokenUseCases(world);
    expect(await portalStatus.execute(standardAdmin)).to.deep.equal({ ok: true, value: { enabled: true, canChange: false } });
    expect(await portalStatus.execute(superAdmin)).to.deep.equal({ ok: true, value: { enabled: true, canChange: true } });
    expect(await portalStatus.execute(learner)).to.deep.equal({ ok: false, error: { code: 'PERMISSION.DENIED' } });
  });
});
