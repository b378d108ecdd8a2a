import { expect } from 'chai';
import { csvField as csvCell, csvLine } from '../../../../src/adapters/shared/csv/csv-writer.js';

describe('adapters: formula-safe CSV', () => {
  it('quotes per RFC 4180 and guards text that a spreadsheet would run as a formula; numbers stay numbers', () => {
    expect(csvLine(['a', 'b,c', 'say "hi"', 12, null, -5])).to.equal('a,"b,c","say ""hi""",12,,-5\r\n');
    for (const start of ['=', '+', '-', '@', '\t', '\r', '\n']) expect(csvCell(`${start}1+1`)).to.match(/^"?'/);
    expect(csvCell('=HYPERLINK("http://x")')).to.equal(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell('ABCD-EFGH-JKMN')).to.equal('ABCD-EFGH-JKMN');
  });
});
