/* Who holds each permission plugin/manifest.json declares, checked by id through the real manifest. */
import { expect } from 'chai';
import { PLUGIN_ROOT } from '../../../src/adapters/views.js';
import { readManifest } from '../../../src/manifest/manifest.js';
import { Permissions } from '../../../src/manifest/permissions.js';
import { PERMISSION_IDS } from '../../../src/domain/ports/permissions.port.js';
import type { HostUser } from '../../../src/domain/shared/user.js';

const permissions = new Permissions(readManifest(PLUGIN_ROOT));

const base: HostUser = { id: 'u1', email: 'a@example.com', firstName: 'A', lastName: 'B', type: 'staff', role: null, status: 'active' };
const superAdmin: HostUser = { ...base, role: 'super_admin' };
const standardAdmin: HostUser = { ...base, role: 'standard_admin' };
const learner: HostUser = { ...base, type: 'client' };
const prospect: HostUser = { ...base, type: 'prospect' };

describe('manifest permissions', () => {
  describe('tokens.manage', () => {
    const id = PERMISSION_IDS.tokensManage;

    it('allows active super and standard admins', () => {
      expect(permissions.allows(id, superAdmin)).to.equal(true);
      expect(permissions.allows(id, standardAdmin)).to.equal(true);
    });

    it('denies anonymous visitors, staff without an admin role, learners and prospects', () => {
      expect(permissions.allows(id, null)).to.equal(false);
      expect(permissions.allows(id, base)).to.equal(false);
      expect(permissions.allows(id, learner)).to.equal(false);
      expect(permissions.allows(id, prospect)).to.equal(false);
    });

    it('denies suspended admins', () => {
      expect(permissions.allows(id, { ...superAdmin, status: 'suspended' })).to.equal(false);
      expect(permissions.allows(id, { ...standardAdmin, status: 'suspended' })).to.equal(false);
    });
  });

  describe('portal.manage', () => {
    const id = PERMISSION_IDS.portalManage;

    it('allows active super admins only', () => {
      expect(permissions.allows(id, superAdmin)).to.equal(true);
      expect(permissions.allows(id, standardAdmin)).to.equal(false);
      expect(permissions.allows(id, learner)).to.equal(false);
      expect(permissions.allows(id, null)).to.equal(false);
    });

    it('denies a suspended super admin', () => {
      expect(permissions.allows(id, { ...superAdmin, status: 'suspended' })).to.equal(false);
    });
  });

  describe('apikeys.manage', () => {
    const id = PERMISSION_IDS.apiKeysManage;

    it('allows active super admins only', () => {
      expect(permissions.allows(id, superAdmin)).to.equal(true);
      expect(permissions.allows(id, standardAdmin)).to.equal(false);
      expect(permissions.allows(id, learner)).to.equal(false);
      expect(permissions.allows(id, null)).to.equal(false);
    });

    it('denies a suspended super admin', () => {
      expect(permissions.allows(id, { ...superAdmin, status: 'suspended' })).to.equal(false);
    });
  });

  describe('branding.manage', () => {
    const id = PERMISSION_IDS.brandingManage;

    it('allows active super and standard admins (the people who share the page’s tokens)', () => {
      expect(permissions.allows(id, superAdmin)).to.equal(true);
      expect(permissions.allows(id, standardAdmin)).to.equal(true);
    });

    it('denies anonymous visitors, staff without an admin role and learners', () => {
      expect(permissions.allows(id, null)).to.equal(false);
      expect(permissions.allows(id, base)).to.equal(false);
      expect(permissions.allows(id, learner)).to.equal(false);
    });

    it('denies suspended admins', () => {
      expect(permissions.allows(id, { ...superAdmin, status: 'suspended' })).to.equal(false);
      expect(permissions.allows(id, { ...standardAdmin, status: 'suspended' })).to.equal(false);
    });
  });
});
