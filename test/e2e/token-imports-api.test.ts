/*
 * CSV imports through the JSON API against the sandbox host: the dry run writes nothing, every kind
 * of bad row and bad file is named, the apply is all-or-nothing and happens once, a changed file
 * needs a new dry run, and the results file uploads again after fixing.
 */
import { expect } from 'chai';
import { bulkScene, nextYear, type BulkScene } from './token-imports.helpers.js';

describe('e2e: CSV token imports (API)', function () {
  this.timeout(120_000);
  let s: BulkScene;

  before(async () => {
    s = await bulkScene();
  });
  after(() => s?.t.destroy());

  it('the dry run plans every row and writes no token and no audit entry', async () => {
    const before = await s.counts();
    const csv = `nickname,itemType,itemId,expiresOn,maxUses\nFair,topic,${s.topic.id},${nextYear},10\nNews,topic,${s.topic.id},,\n`;
    const res = await s.postCsv(csv).expect(201);
    expect(res.body.counts).to.deep.equal({ create: 2, update: 0, unchanged: 0, error: 0 });
    expect(res.body.rows.map((r: { line: number; action: string }) => [r.line, r.action])).to.deep.equal([[2, 'create'], [3, 'create']]);
    expect(await s.counts()).to.deep.equal(before);
  });

  it('names every kind of bad row with its reason', async () => {
    await s.t.knex('selfreg_tokens').delete();
    const existing = await s.postCsv(`itemType,itemId,code\ntopic,${s.topic.id},TAKEN-CODE-001\n`).expect(201);
    await s.apply(existing.body.id).expect(200);
    const token = await s.t.knex('selfreg_tokens').first();
    await s.t.knex('selfreg_tokens').where({ id: token.id }).update({ uses: 3 });
    const otherTopic = await s.t.knex('sandbox_items').where({ type: 'topic', origin: 'own' }).orderBy('id').offset(1).first();
    const rows = [
      'itemType,itemId,nickname,code,expiresOn,maxUses,status,id',
      'topic,999999,,,,,,', // unknown item
      `topic,${s.library.id},,,,,,`, // library item
      `topic,${s.topic.id},,,2026-02-30,,,`, // bad date
      `topic,${s.topic.id},,,2001-01-01,,,`, // past date
      `,,,,,2,,${token.id}`, // max uses below uses
      `topic,${s.topic.id},,SAME-CODE-77,,,,`,
      `topic,${s.topic.id},,SAME-CODE-77,,,,`, // duplicate in the file
      `topic,${otherTopic.id},,TAKEN-CODE-001,,,,`, // taken by a token of another item
      `topic,${s.topic.id},,,,,maybe,`, // bad status
      `article,${s.topic.id},,,,,,`, // no such article
      'quiz,1,,,,,,', // bad item type
    ].join('\n');
    const res = await s.postCsv(rows).expect(201);
    const codes = res.body.rows.map((r: { line: number; action: string; error?: { code: string } }) => [r.line, r.error?.code ?? r.action]);
    expect(codes).to.deep.equal([
      [2, 'KNOWLEDGE.NOT_FOUND'], [3, 'KNOWLEDGE.LIBRARY_CONTENT'], [4, 'TOKEN.EXPIRY_INVALID'], [5, 'TOKEN.EXPIRY_IN_PAST'],
      [6, 'TOKEN.MAX_USES_BELOW_USES'], [7, 'create'], [8, 'IMPORT.DUPLICATE_CODE'], [9, 'TOKEN.CODE_TAKEN'], [10, 'IMPORT.STATUS_INVALID'],
      [11, 'KNOWLEDGE.NOT_FOUND'], [12, 'IMPORT.ITEM_TYPE_INVALID'],
    ]);
    expect(res.body.rows[6].error.message).to.contain('line 7');
    const apply = await s.apply(res.body.id).expect(409);
    expect(apply.body.error.code).to.equal('IMPORT.HAS_ERRORS');
  });

  it('refuses a bad file naming the line: unknown column, bad header, wrong delimiter, bad encoding, broken rows', async () => {
    const problems: [string | Buffer, string, RegExp][] = [
      [`itemType,itemId,colour\ntopic,${s.topic.id},red\n`, 'IMPORT.COLUMN_UNKNOWN', /^Line 1: unknown column “colour”/],
      ['nickname,maxUses\nA,1\n', 'IMPORT.HEADER_INVALID', /^Line 1:/],
      [`itemType;itemId;nickname\ntopic;${s.topic.id};A\n`, 'IMPORT.DELIMITER', /^Line 1: the columns are separated by “;”/],
      [Buffer.concat([Buffer.from(`itemType,itemId,nickname\ntopic,${s.topic.id},ok\ntopic,${s.topic.id},Caf`), Buffer.from([0xe9]), Buffer.from('\n')]), 'IMPORT.ENCODING', /^Line 3:/],
      [`itemType,itemId,nickname\ntopic,${s.topic.id},A,extra\n`, 'IMPORT.MALFORMED', /^Line 2: this row has 4 cells/],
      ['', 'IMPORT.EMPTY', /empty/],
    ];
    for (const [csv, code, message] of problems) {
      const res = await s.postCsv(csv);
      expect(res.status, code).to.equal(422);
      expect(res.body.error.code).to.equal(code);
      expect(res.body.error.message).to.match(message);
    }
  });

  it('accepts a BOM, columns in any order, and item titles where unique', async () => {
    const res = await s.postCsv(`\uFEFFnickname,itemTitle,itemType\nBOM,${s.topic.title},topic\n`).expect(201);
    expect(res.body.counts.create).to.equal(1);
  });

  it('refuses a file of 50,001 rows and a file of 6 MB, storing no plan', async () => {
    const plansBefore = (await s.t.knex('selfreg_token_imports')).length;
    const many = `itemType,itemId\n${`topic,${s.topic.id}\n`.repeat(50_001)}`;
    const tooMany = await s.postCsv(many).expect(422);
    expect(tooMany.body.error.code).to.equal('IMPORT.TOO_MANY_ROWS');
    expect(tooMany.body.error.message).to.match(/^Line 50002:/);
    const big = `itemType,itemId,nickname\n${`topic,${s.topic.id},${'x'.repeat(200)}\n`.repeat(30_000)}`;
    expect(Buffer.byteLength(big)).to.be.above(6_000_000);
    const tooBig = await s.postCsv(big).expect(413);
    expect(tooBig.body.error.code).to.equal('IMPORT.TOO_LARGE');
    expect((await s.t.knex('selfreg_token_imports')).length).to.equal(plansBefore);
  });

  it('applies once, all or nothing; the same file again applies nothing new; a changed file is refused', async () => {
    await s.t.knex('selfreg_tokens').delete();
    const csv = `itemType,itemId,nickname,maxUses\ntopic,${s.topic.id},One,5\ntopic,${s.topic.id},Two,\n`;
    const dry = await s.postCsv(csv, 'two.csv').expect(201);
    const changed = await s.apply(dry.body.id, `${csv}topic,${s.topic.id},Three,\n`).expect(409);
    expect(changed.body.error.code).to.equal('IMPORT.FILE_CHANGED');
    const before = await s.counts();
    const applied = await s.apply(dry.body.id, csv).expect(200);
    expect(applied.body.state).to.equal('applied');
    const after = await s.counts();
    expect(after.tokens - before.tokens).to.equal(2);
    expect(after.audit - before.audit).to.equal(3); // two token.created + one tokens.imported
    const entry = await s.t.knex('selfreg_audit_log').where({ action: 'tokens.imported' }).orderBy('id', 'desc').first();
    expect(entry.details).to.include({ fileName: 'two.csv', created: 2 });
    expect((await s.apply(dry.body.id)).body.error.code).to.equal('IMPORT.ALREADY_APPLIED');
    const again = await s.postCsv(csv, 'two.csv').expect(201);
    expect(again.body.counts).to.deep.equal({ create: 0, update: 0, unchanged: 2, error: 0 });
    await s.apply(again.body.id).expect(200);
    expect((await s.counts()).tokens).to.equal(after.tokens);
  });

  it('the results file lists every row with its outcome and uploads again as it is after fixing', async () => {
    const csv = `itemType,itemId,nickname,expiresOn\ntopic,${s.topic.id},Good,\ntopic,${s.topic.id},Bad,2001-01-01\n`;
    const dry = await s.postCsv(csv).expect(201);
    const results = await s.get(`/token-imports/${dry.body.id}/results.csv`).buffer(true).parse((res, cb) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => cb(null, text));
    }).expect(200);
    const text = results.body as string;
    const lines = text.trim().split('\r\n');
    expect(lines[0]).to.equal('itemType,itemId,nickname,expiresOn,id,code,result,error');
    expect(lines[1]).to.match(/,Good,,,,create,$/);
    expect(lines[2]).to.contain(',Bad,2001-01-01,,,error,That date has already passed');
    const fixed = text.replace('2001-01-01', nextYear);
    const again = await s.postCsv(fixed).expect(201);
    expect(again.body.counts).to.deep.equal({ create: 2, update: 0, unchanged: 0, error: 0 });
  });

  it('an update shows before → after, and a column missing from the file changes nothing', async () => {
    const token = await s.t.knex('selfreg_tokens').where({ nickname: 'One' }).first();
    const dry = await s.postCsv(`id,status,nickname\n${token.id},disabled,Uno\n`).expect(201);
    expect(dry.body.rows[0].changes).to.deep.equal([{ field: 'nickname', before: 'One', after: 'Uno' }, { field: 'status', before: 'active', after: 'disabled' }]);
    await s.apply(dry.body.id).expect(200);
    const after = await s.t.knex('selfreg_tokens').where({ id: token.id }).first();
    expect(after).to.include({ nickname: 'Uno', enabled: false, max_uses: 5 });
  });

  it('an export uploads back as it is and changes nothing', async () => {
    const exported = await s.get('/tokens').set('Accept', 'text/csv').buffer(true).parse((res, cb) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => cb(null, body));
    }).expect(200);
    const csv = exported.body as string;
    const rows = csv.trim().split('\r\n').length - 1;
    expect(rows).to.be.at.least(2);
    const again = await s.postCsv(csv, 'export.csv').expect(201);
    expect(again.body.counts).to.deep.equal({ create: 0, update: 0, unchanged: rows, error: 0 });
  });
});
