import { expect } from 'chai';
import { ErrorCodes, refuse } from '../../../../src/domain/shared/errors.js';
import { err, ok } from '../../../../src/domain/shared/result.js';

describe('domain/errors and domain/result', () => {
  it('refuse() carries the code, and a detail only when one is given', () => {
    const bare = refuse(ErrorCodes.TOKEN_DISABLED);
    expect(bare).to.deep.equal({ code: 'TOKEN.DISABLED' });
    expect(Object.keys(bare)).to.deep.equal(['code']);
    expect(refuse(ErrorCodes.TOKEN_CODE_TAKEN, 'Choose another.')).to.deep.equal({ code: 'TOKEN.CODE_TAKEN', detail: 'Choose another.' });
    expect(refuse(ErrorCodes.LINK_USED, '')).to.deep.equal({ code: 'LINK.USED', detail: '' });
  });

  it('error codes are stable NOUN.VERB strings, all distinct', () => {
    const values = Object.values(ErrorCodes);
    // Each constant is named after its code, so a code cannot drift from its name.
    for (const [key, value] of Object.entries(ErrorCodes)) expect(key.replace(/_/g, '')).to.equal(value.replace(/[._]/g, ''));
    expect(new Set(values).size).to.equal(values.length);
    for (const v of values) expect(v).to.match(/^[A-Z]+\.[A-Z_]+$/);
    expect(ErrorCodes.TOKEN_NOT_RECOGNISED).to.equal('TOKEN.NOT_RECOGNISED');
    expect(ErrorCodes.SEATS_EXHAUSTED).to.equal('SEATS.EXHAUSTED');
    expect(ErrorCodes.PERMISSION_DENIED).to.equal('PERMISSION.DENIED');
  });

  it('ok() and err() build the two Result shapes', () => {
    expect(ok(3)).to.deep.equal({ ok: true, value: 3 });
    expect(err('no')).to.deep.equal({ ok: false, error: 'no' });
  });
});
