import { expect } from 'chai';
import { normaliseEmail, PROSPECT, USER_TYPES } from '../../../../src/domain/shared/user.js';

describe('domain/user', () => {
  it('contributes the prospect user type', () => {
    expect(PROSPECT).to.equal('prospect');
    expect(USER_TYPES).to.deep.equal(['staff', 'client', 'prospect']);
  });

  describe('normaliseEmail', () => {
    it('trims and lower-cases', () => {
      expect(normaliseEmail('  Ada.Lovelace@Example.COM \n')).to.equal('ada.lovelace@example.com');
      expect(normaliseEmail('ada@example.com')).to.equal('ada@example.com');
    });
  });
});
