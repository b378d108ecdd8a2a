/* The CSV writer every export uses: RFC 4180 quoting, the formula-injection rule, the Excel dialect, streaming. */
import { expect } from 'chai';
import { csvField, csvLine, csvStream, formulaSafe, UTF8_BOM } from '../../../../src/adapters/shared/csv/csv-writer.js';
import { isoInZone } from '../../../../src/adapters/shared/csv/iso-time.js';

async function text(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of stream) parts.push(Buffer.from(c as Buffer));
  return Buffer.concat(parts);
}

async function* rowsOf<T>(rows: T[], failAfter?: number): AsyncIterable<T> {
  let n = 0;
  for (const r of rows) {
    if (failAfter !== undefined && n++ === failAfter) throw new Error('database went away');
    yield r;
  }
}

describe('CSV writer', () => {
  it('quotes per RFC 4180: commas, quotes (doubled), CR and LF; records end in CRLF', () => {
    expect(csvLine(['plain', 'a,b', 'say "hi"', 'two\nlines', 'cr\rhere'])).to.equal('plain,"a,b","say ""hi""","two\nlines","cr\rhere"\r\n');
    expect(csvField(null)).to.equal('');
    expect(csvField(undefined)).to.equal('');
  });

  it('escapes text that a spreadsheet would run as a formula: =, +, -, @, tab, CR, LF', () => {
    expect(csvField('=HYPERLINK("http://evil.example","click")')).to.equal(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    expect(csvField('+1 555 0100')).to.equal("'+1 555 0100");
    expect(csvField('-2+3')).to.equal("'-2+3");
    expect(csvField('@SUM(A1)')).to.equal("'@SUM(A1)");
    expect(csvField('\tTabbed')).to.equal("'\tTabbed");
    expect(csvField('\rCR')).to.equal(`"'\rCR"`);
    expect(csvField('\nLF')).to.equal(`"'\nLF"`);
    expect(formulaSafe('Ada Lovelace')).to.equal('Ada Lovelace');
    expect(formulaSafe('a=b')).to.equal('a=b');
  });

  it('numbers stay numbers, negative ones included; booleans are words', () => {
    expect(csvLine([-5, 0.25, 12, true, false])).to.equal('-5,0.25,12,true,false\r\n');
    expect(csvField(Number.NaN)).to.equal('');
  });

  it('the Excel dialect starts with a UTF-8 byte-order mark; the plain one does not', async () => {
    const excel = await text(csvStream(['Name'], rowsOf([['Zoë']]), (r) => r, 'excel'));
    expect([...excel.subarray(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
    expect(excel.toString('utf8')).to.equal(`${UTF8_BOM}Name\r\nZoë\r\n`);
    const plain = await text(csvStream(['Name'], rowsOf([['Zoë']]), (r) => r, 'utf8'));
    expect(plain[0]).to.equal(0x4e);
    expect(plain.toString('utf8')).to.equal('Name\r\nZoë\r\n');
  });

  it('streams many rows in chunks and fails the stream when its rows fail part-way', async () => {
    const many = Array.from({ length: 20_000 }, (_, i) => [i, `row ${i}`]);
    const out = (await text(csvStream(['n', 'text'], rowsOf(many), (r) => r))).toString('utf8').split('\r\n');
    expect(out).to.have.length(20_002);
    expect(out[20_000]).to.equal('19999,row 19999');
    let failed: unknown = null;
    try {
      await text(csvStream(['n', 'text'], rowsOf(many, 15_000), (r) => r));
    } catch (e) {
      failed = e;
    }
    expect((failed as Error)?.message).to.equal('database went away');
  });

  it('writes instants in ISO 8601 with the zone’s offset, across a DST change', () => {
    expect(isoInZone(new Date('2026-07-01T09:05:30.900Z'), 'Europe/London')).to.equal('2026-07-01T10:05:30+01:00');
    expect(isoInZone(new Date('2026-12-01T09:05:30Z'), 'Europe/London')).to.equal('2026-12-01T09:05:30+00:00');
    expect(isoInZone(new Date('2026-03-29T00:59:59Z'), 'Europe/London')).to.equal('2026-03-29T00:59:59+00:00');
    expect(isoInZone(new Date('2026-03-29T01:00:00Z'), 'Europe/London')).to.equal('2026-03-29T02:00:00+01:00');
    expect(isoInZone(new Date('2026-12-01T00:00:00Z'), 'America/St_Johns')).to.equal('2026-11-30T20:30:00-03:30');
    expect(isoInZone(new Date('2026-12-01T00:00:00Z'), 'Asia/Kolkata')).to.equal('2026-12-01T05:30:00+05:30');
  });
});
