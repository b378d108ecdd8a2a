import { expect } from 'chai';
import { ERASED_NAME, erasureSubject } from '../../../../src/domain/privacy/erasure.js';

describe('domain: the person an erasure forgets', () => {
  it('gathers every holder’s emails (lower-cased, once) and names, dropping blanks and the erased placeholder', () => {
    const subject = erasureSubject('42', [
      { emails: ['Ada@Example.com', ''], names: ['Ada', 'Lovelace', 'Ada Lovelace'] },
      { emails: ['ada@example.com ', 'old.ada@example.com'], names: [' ', ERASED_NAME, 'Ada'] },
    ]);
    expect(subject).to.deep.equal({ userId: '42', emails: ['ada@example.com', 'old.ada@example.com'], names: ['Ada', 'Ada Lovelace', 'Lovelace'] });
  });
});
