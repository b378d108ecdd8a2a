/* The CSV writer's rules and the portal-time formatting the exports use. */
import { expect } from 'chai';
import { csvLine, numberCell, preamble, textCell } from '../../../sandbox/reports/csv.js';
import { isoInZone, localDay } from '../../../sandbox/reports/time.js';
import { parseCsv } from './report-support.js';

describe('sandbox report CSV', () => {
  it('quotes fields with commas, quotes, CR or LF (RFC 4180) and ends lines with CRLF', () => {
    const line = csvLine([textCell('plain'), textCell('a, b'), textCell('say "hi"'), textCell('two\nlines'), textCell(null), numberCell(42)]);
    expect(line).to.equal('plain,"a, b","say ""hi""","two\nlines",,42\r\n');
    expect(parseCsv(line)).to.deep.equal([['plain', 'a, b', 'say "hi"', 'two\nlines', '', '42']]);
  });

  it('makes formulas text: a \' before =, +, -, @, tab, CR and LF at the start of a text cell', () => {
    expect(textCell('=HYPERLINK("http://evil.example","click")')).to.equal('"\'=HYPERLINK(""http://evil.example"",""click"")"');
    expect(textCell('+44 20 7946 0000')).to.equal("'+44 20 7946 0000");
    expect(textCell('-2+3')).to.equal("'-2+3");
    expect(textCell('@SUM(A1)')).to.equal("'@SUM(A1)");
    expect(textCell('\tx')).to.equal("'\tx");
    expect(textCell('\rx')).to.equal('"\'\rx"');
    expect(textCell('\nx')).to.equal('"\'\nx"');
    expect(textCell('a=b')).to.equal('a=b');
  });

  it('keeps numbers as numbers (no quote, no prefix) and writes nothing for a missing one', () => {
    expect(numberCell(0)).to.equal('0');
    expect(numberCell(-3)).to.equal('-3');
    expect(numberCell(null)).to.equal('');
    expect(numberCell(Number.NaN)).to.equal('');
  });

  it('starts Excel\'s dialect with a byte-order mark and the plain one with nothing', () => {
    expect(preamble('excel')).to.equal('\uFEFF');
    expect(Buffer.from(preamble('excel'), 'utf8')).to.deep.equal(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(preamble('utf8')).to.equal('');
  });

  it('writes ISO 8601 times with the portal zone\'s offset, summer and winter', () => {
    expect(isoInZone(new Date('2026-07-01T12:00:00Z'), 'Europe/London')).to.equal('2026-07-01T13:00:00+01:00');
    expect(isoInZone(new Date('2026-12-01T12:00:00Z'), 'Europe/London')).to.equal('2026-12-01T12:00:00+00:00');
    expect(isoInZone(new Date('2026-12-01T12:00:00Z'), 'America/New_York')).to.equal('2026-12-01T07:00:00-05:00');
    expect(isoInZone(new Date('2026-12-01T12:00:00Z'), 'Asia/Kolkata')).to.equal('2026-12-01T17:30:00+05:30');
    expect(localDay(new Date('2026-12-01T23:30:00Z'), 'Asia/Tokyo')).to.equal('2026-12-02');
  });
});
