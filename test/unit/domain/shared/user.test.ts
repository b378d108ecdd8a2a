import { expect } from 'chai';
import { canManagePortal, canManageTokens, normaliseEmail, PROSPECT, USER_TYPES, type HostUser } from '../../../../src/domain/shared/user.js';

const base: HostUser = { id: 'u1', email: 'a@example.com', firstName: 'A', lastName: 'B', type: 'staff', role: null, status: 'active' };
const superAdmin: HostUser = { ...base, role: 'super_admin' };
const standardAdmin: HostUser = { ...base, role: 'standard_admin' };
const learner: HostUser = { ...base, type: 'client' };
const prospect: HostUser = { ...base, type: 'prospect' };

describe('domain/user', () => {
  it('contributes the prospect user type', () => {
    expect(PROSPECT).to.equal('prospect');
    expect(USER_TYPES).to.deep.equal(['staff', 'client', 'prospect']);
  });

  describe('canManageTokens', () => {
    it('allows active super and standard admins', () => {
      expect(canManageTokens(superAdmin)).to.equal(true);
      expect(canManageTokens(standardAdmin)).to.equal(true);
    });

    it('denies anonymous visitors, learners and prospects', () => {
      expect(canManageTokens(null)).to.equal(false);
      expect(canManageTokens(base)).to.equal(false);
      expect(canManageTokens(learner)).to.equal(false);
      expect(canManageTokens(prospect)).to.equal(false);
    });

    it('denies suspended admins', () => {
      expect(canManageTokens({ ...superAdmin, status: 'suspended' })).to.equal(false);
      expect(canManageTokens({ ...standardAdmin, status: 'suspended' })).to.equal(false);
    });
  });

  describe('canManagePortal', () => {
    it('allows active super admins only', () => {
      expect(canManagePortal(superAdmin)).to.equal(true);
      expect(canManagePortal(standardAdmin)).to.equal(false);
      expect(canManagePortal(learner)).to.equal(false);
      expect(canManagePortal(null)).to.equal(false);
    });

    it('denies a suspended super admin', () => {
      expect(canManagePortal({ ...superAdmin, status: 'suspended' })).to.equal(false);
    });
  });

  describe('normaliseEmail', () => {
    it('trims and lower-cases', () => {
      expect(normaliseEmail('  Ada.Lovelace@Example.COM \n')).to.equal('ada.lovelace@example.com');
      expect(normaliseEmail('ada@example.com')).to.equal('ada@example.com');
    });
  });
});
