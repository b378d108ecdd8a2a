import { expect } from 'chai';
import { planRow, readHeader, rowValues, type RowFacts } from '../../../../src/domain/tokens/token-import.js';
import type { KnowledgeItem } from '../../../../src/domain/shared/knowledge.js';
import type { Token } from '../../../../src/domain/tokens/token.js';

const now = new Date('2026-12-01T12:00:00Z');
const topic: KnowledgeItem = { ref: { type: 'topic', id: '1' }, title: 'Onboarding', origin: 'own', learnerUrl: '/t/1' };
const token: Token = {
  id: '7', item: topic.ref, nickname: 'Fair', code: 'FAIR-CODE-2026', custom: true, enabled: true, expiresAt: null, maxUses: 10, uses: 4,
  createdBy: '1', createdAt: new Date('2026-11-01T00:00:00Z'), updatedAt: new Date('2026-11-02T00:00:00Z'), lastUsedAt: null,
};

function facts(header: string, cells: string, extra: Partial<RowFacts> = {}): RowFacts {
  const h = readHeader(header.split(','));
  if (!h.ok) throw new Error(h.error.code);
  const c = cells.split(',');
  return { line: 2, cells: c, values: rowValues(h.value, c), target: null, item: topic, ...extra };
}

describe('domain: CSV token imports', () => {
  it('reads a header in any order; unknown, repeated or insufficient columns and other delimiters are refused on line 1', () => {
    expect(readHeader(['nickname', 'itemId', 'itemType']).ok).to.equal(true);
    expect(readHeader(['id', 'status', 'uses', 'deepLink', 'result', 'error']).ok).to.equal(true);
    const fail = (cells: string[]) => { const r = readHeader(cells); return r.ok ? null : [r.error.code, r.error.data]; };
    expect(fail(['itemType', 'itemId', 'colour'])).to.deep.equal(['IMPORT.COLUMN_UNKNOWN', { line: 1, column: 'colour' }]);
    expect(fail(['id', 'id'])).to.deep.equal(['IMPORT.COLUMN_DUPLICATE', { line: 1, column: 'id' }]);
    expect(fail(['nickname', 'maxUses'])).to.deep.equal(['IMPORT.HEADER_INVALID', { line: 1 }]);
    expect(fail(['itemType;itemId'])).to.deep.equal(['IMPORT.DELIMITER', { line: 1, found: ';' }]);
  });

  it('plans a new token with the panel’s rules: a past date, a bad limit or a short code is refused the same way', () => {
    const ok = planRow(facts('itemType,itemId,nickname,expiresOn,maxUses', 'topic,1,Spring,2027-03-31,5'), now, 'Europe/London');
    expect(ok.action).to.equal('create');
    expect(ok.create).to.deep.include({ nickname: 'Spring', maxUses: 5, enabled: true, code: null, expiresAt: '2027-03-31T23:00:00.000Z' }); // midnight in London, summer time
    const code = (cells: string) => planRow(facts('itemType,itemId,expiresOn,maxUses,code', cells), now, 'UTC').error?.code;
    expect(code('topic,1,2001-01-01,,')).to.equal('TOKEN.EXPIRY_IN_PAST');
    expect(code('topic,1,2027-02-30,,')).to.equal('TOKEN.EXPIRY_INVALID');
    expect(code('topic,1,,0,')).to.equal('TOKEN.MAX_USES_INVALID');
    expect(code('topic,1,,,ABC')).to.equal('TOKEN.CODE_TOO_SHORT');
    expect(planRow(facts('itemType,itemId', 'topic,1', { item: { ...topic, origin: 'library' } }), now, 'UTC').error?.code).to.equal('KNOWLEDGE.LIBRARY_CONTENT');
    expect(planRow(facts('itemType,itemId', 'topic,1', { item: null }), now, 'UTC').error?.code).to.equal('KNOWLEDGE.NOT_FOUND');
  });

  it('plans an update with before → after; a column absent changes nothing; the same values are unchanged', () => {
    const target = { token, by: 'id' as const, item: topic };
    const update = planRow(facts('id,nickname,status', '7,Fête,disabled', { target }), now, 'UTC');
    expect(update.action).to.equal('update');
    expect(update.patch).to.deep.equal({ nickname: 'Fête', enabled: false });
    expect(update.changes).to.deep.equal([{ field: 'nickname', before: 'Fair', after: 'Fête' }, { field: 'status', before: 'active', after: 'disabled' }]);
    expect(update.version).to.equal('2026-11-02T00:00:00.000Z');
    expect(planRow(facts('id,nickname,maxUses', '7,Fair,10', { target }), now, 'UTC').action).to.equal('unchanged');
    expect(planRow(facts('id,maxUses', '7,3', { target }), now, 'UTC').error?.code).to.equal('TOKEN.MAX_USES_BELOW_USES');
    expect(planRow(facts('id,code', '7,OTHER-CODE-99', { target }), now, 'UTC').error?.code).to.equal('IMPORT.CODE_MISMATCH');
    expect(planRow(facts('id', '99', { target: 'missing' }), now, 'UTC').error?.code).to.equal('TOKEN.NOT_FOUND');
  });

  it('a formula guard written by an export is dropped again on the way in', () => {
    const planned = planRow(facts('itemType,itemId,nickname', "topic,1,'=SUM(A1)"), now, 'UTC');
    expect(planned.create?.nickname).to.equal('=SUM(A1)');
  });
});
