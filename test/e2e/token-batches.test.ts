/*
 * Batches of single-use codes and exports through the JSON API, and an import that fails at row
 * 40,000 leaving nothing; on PostgreSQL, two admins applying the same file at once create it once.
 */
import { expect } from 'chai';
import supertest from 'supertest';
import { API, bulkScene, type BulkScene } from './token-imports.helpers.js';

const text = (res: supertest.Response): string => (typeof res.body === 'string' ? res.body : res.text);
const asText = (req: supertest.Test) => req.buffer(true).parse((res, cb) => {
  let body = '';
  res.on('data', (c: Buffer) => (body += c.toString()));
  res.on('end', () => cb(null, body));
});

describe('e2e: batches of codes, exports and whole imports', function () {
  this.timeout(180_000);
  let s: BulkScene;

  before(async () => {
    s = await bulkScene();
  });
  after(() => s?.t.destroy());

  const register = (code: string, email: string) =>
    supertest(s.t.sandbox.app).post('/register').type('form').send({ firstName: 'Bat', lastName: 'Ch', email, token: code, consent: 'yes' });

  it('a batch has unique codes, downloadable with deep links, and each works once', async () => {
    const res = await supertest(s.t.sandbox.app).post(`${API}/token-batches`).set({ Authorization: `Bearer ${s.key}` })
      .send({ item: `topic:${s.topic.id}`, count: 200, nickname: 'Open day' }).expect(201);
    expect(res.body).to.include({ count: 200, maxUses: 1, nickname: 'Open day' });
    const csv = text(await asText(s.get(`/token-batches/${res.body.id}/codes.csv`)).expect(200)).trim().split('\r\n');
    expect(csv[0]).to.equal('code,deepLink');
    const codes = csv.slice(1).map((l) => l.split(',')[0]!);
    expect(codes).to.have.length(200);
    expect(new Set(codes).size).to.equal(200);
    expect(csv[1]).to.match(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4},http:\/\/learn\.acme\.test\/register\/[0-9A-Z-]{14}$/);
    const first = await register(codes[0]!, 'batch.one@example.com');
    expect(first.status).to.be.oneOf([200, 303]);
    const second = await register(codes[0]!, 'batch.two@example.com');
    expect(second.status).to.equal(422);
    expect(second.text).to.contain('reached its limit');
    expect((await register(codes[1]!, 'batch.two@example.com')).status).to.be.oneOf([200, 303]);
    const audit = await s.t.knex('selfreg_audit_log').where({ action: 'batch.created' });
    expect(audit).to.have.length(1);
  });

  it('a batch is disabled and deleted as a whole', async () => {
    const res = await supertest(s.t.sandbox.app).post(`${API}/token-batches`).set({ Authorization: `Bearer ${s.key}` })
      .send({ item: `topic:${s.topic.id}`, count: 20 }).expect(201);
    const off = await supertest(s.t.sandbox.app).post(`${API}/token-batches/${res.body.id}/disable`).set({ Authorization: `Bearer ${s.key}` }).expect(200);
    expect(off.body.changed).to.equal(20);
    expect(await s.t.knex('selfreg_tokens').where({ batch_id: res.body.id, enabled: true })).to.have.length(0);
    await supertest(s.t.sandbox.app).delete(`${API}/token-batches/${res.body.id}`).set({ Authorization: `Bearer ${s.key}` }).expect(204);
    expect(await s.t.knex('selfreg_tokens').where({ batch_id: res.body.id })).to.have.length(0);
    const bad = await supertest(s.t.sandbox.app).post(`${API}/token-batches`).set({ Authorization: `Bearer ${s.key}` }).send({ item: `topic:${s.topic.id}`, count: 10_001 }).expect(422);
    expect(bad.body.error.code).to.equal('BATCH.SIZE_INVALID');
  });

  it('GET /tokens answers CSV to Accept: text/csv, with its filters, formula-safe', async () => {
    await supertest(s.t.sandbox.app).post(`${API}/tokens`).set({ Authorization: `Bearer ${s.key}` }).send({ item: `topic:${s.topic.id}`, nickname: '=HYPERLINK("http://evil")' }).expect(201);
    const res = await asText(s.get('/tokens?q=HYPERLINK').set('Accept', 'text/csv')).expect(200);
    expect(res.headers['content-type']).to.match(/^text\/csv/);
    const lines = text(res).trim().split('\r\n');
    expect(lines[0]).to.equal('id,itemType,itemId,itemTitle,nickname,code,deepLink,status,expiresOn,maxUses,uses,lastUsedAt,createdAt');
    expect(lines).to.have.length(2);
    expect(lines[1]).to.contain(`"'=HYPERLINK(""http://evil"")"`);
    const all = text(await asText(s.get('/tokens').set('Accept', 'text/csv')).expect(200)).trim().split('\r\n');
    expect(all.length - 1).to.equal(Number((await s.t.knex('selfreg_tokens').count({ n: '*' }))[0]!.n));
  });

  it('the Tokens page exports its filtered list as CSV and offers the template; only to admins', async () => {
    const page = await asText(s.admin.agent.get('/admin/self-registration/tokens/export?q=HYPERLINK')).expect(200);
    expect(page.headers['content-disposition']).to.contain('tokens.csv');
    expect(text(page).trim().split('\r\n')).to.have.length(2);
    const template = await asText(s.admin.agent.get('/admin/self-registration/tokens/import-template')).expect(200);
    expect(text(template).split('\r\n')[0]).to.equal('itemType,itemId,itemTitle,nickname,code,expiresOn,maxUses,status,id');
    const anonymous = await supertest(s.t.sandbox.app).get('/admin/self-registration/tokens/export');
    expect(anonymous.status).to.equal(303);
    expect(anonymous.headers['content-type'] ?? '').not.to.match(/csv/);
  });

  it('an import failing at row 40,000 leaves nothing: a code taken after the dry run', async () => {
    const rows = Array.from({ length: 40_000 }, (_, i) => `topic,${s.topic.id},BULK-${String(i).padStart(6, '0')}-XY`);
    const dry = await s.postCsv(`itemType,itemId,code\n${rows.join('\n')}\n`).expect(201);
    expect(dry.body.counts.create).to.equal(40_000);
    await supertest(s.t.sandbox.app).post(`${API}/tokens`).set({ Authorization: `Bearer ${s.key}` }).send({ item: `topic:${s.topic.id}`, customCode: 'BULK-039999-XY' }).expect(201);
    const before = await s.counts();
    const res = await s.apply(dry.body.id).expect(409);
    expect(res.body.error.code).to.equal('IMPORT.STALE');
    expect(await s.counts()).to.deep.equal(before);
  });

  it('two admins applying the same file at once create its tokens once (PostgreSQL; skipped on PGlite: a single connection cannot race)', async function () {
    if (!process.env.DATABASE_URL) this.skip();
    const csv = `itemType,itemId,nickname\n${`topic,${s.topic.id},Race\n`.repeat(50)}`;
    const one = await s.postCsv(csv).expect(201);
    const two = await s.postCsv(csv).expect(201);
    const results = await Promise.all([s.apply(one.body.id), s.apply(two.body.id), s.apply(one.body.id)]);
    expect(results.map((r) => r.status).sort()).to.deep.equal([200, 409, 409]);
    expect(await s.t.knex('selfreg_tokens').where({ nickname: 'Race' })).to.have.length(50);
  });
});
