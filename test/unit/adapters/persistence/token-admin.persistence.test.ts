/* Token management storage on a real database: PGlite by default, PostgreSQL with DATABASE_URL. */
import { expect } from 'chai';
import type { Knex } from 'knex';
import { createTestDatabase, type TestDatabase } from '../../../support/database.js';
import { migrate } from '../../../../src/plugin.js';
import { readManifest } from '../../../../src/manifest/manifest.js';
import { PLUGIN_ROOT } from '../../../../src/adapters/views.js';
import { CodeProtector, sha256Hasher } from '../../../../src/adapters/crypto/crypto.adapters.js';
import { KnexTokenRepository } from '../../../../src/adapters/persistence/token.repository.js';
import { KnexAuditRepository } from '../../../../src/adapters/persistence/audit.repository.js';
import { KnexApiKeyRepository } from '../../../../src/adapters/persistence/api-key.repository.js';
import { KnexTokenRegistrationQuery } from '../../../../src/adapters/persistence/token-registrations.query.js';
import { KnexRegistrationRepository } from '../../../../src/adapters/persistence/registration.repository.js';
import type { NewToken } from '../../../../src/domain/ports/token-repository.port.js';
import type { NewAuditEntry } from '../../../../src/domain/audit/audit.js';

const onPostgres = !!process.env.DATABASE_URL;
const topic = { type: 'topic', id: '1' } as const;
const article = { type: 'article', id: '2' } as const;
let serial = 0;
const newToken = (over: Partial<NewToken> = {}): NewToken => {
  serial += 1;
  const raw = String(serial).padStart(12, '0');
  return {
    item: topic, nickname: `Token ${serial}`, normalisedCode: raw, displayCode: `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8)}`,
    custom: false, expiresAt: null, maxUses: null, createdBy: '1', createdByName: 'Alex Admin', ...over,
  };
};
const actor = { id: '1', name: 'Alex Admin', via: 'panel' as const };

describe(`token management storage (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  let db: TestDatabase;
  let knex: Knex;
  let tokens: KnexTokenRepository;
  let audit: KnexAuditRepository;
  let keys: KnexApiKeyRepository;
  const protector = new CodeProtector({ secret: 's'.repeat(40) });

  before(async () => {
    db = await createTestDatabase();
    knex = db.knex;
    await migrate(knex, readManifest(PLUGIN_ROOT));
    tokens = new KnexTokenRepository(knex, protector);
    audit = new KnexAuditRepository(knex);
    keys = new KnexApiKeyRepository(knex);
  });
  after(() => db?.destroy());
  beforeEach(async () => {
    await knex.raw('truncate selfreg_registrations, selfreg_email_links, selfreg_tokens, selfreg_audit_log, selfreg_api_keys restart identity cascade');
  });

  it('the migration adds the audit log and API key tables, and rolls back cleanly', async () => {
    expect(await knex.schema.hasTable('selfreg_audit_log')).to.equal(true);
    expect(await knex.schema.hasTable('selfreg_api_keys')).to.equal(true);
    expect(await knex.schema.hasColumn('selfreg_tokens', 'created_by_name')).to.equal(true);
    const dir = { directory: `${PLUGIN_ROOT}/migrations`, tableName: 'selfreg_migrations', loadExtensions: ['.ts', '.js'] };
    // Roll back only this migration (the latest ones may belong to other features: undo to ours and redo).
    const done: string[] = (await knex('selfreg_migrations').orderBy('id').select('name')).map((r: { name: string }) => r.name);
    const ours = done.indexOf('20261129000200_token_management.ts');
    expect(ours).to.be.greaterThan(-1);
    for (let i = done.length - 1; i >= ours; i--) await knex.migrate.down(dir);
    expect(await knex.schema.hasTable('selfreg_audit_log')).to.equal(false);
    expect(await knex.schema.hasColumn('selfreg_tokens', 'created_by_name')).to.equal(false);
    await knex.migrate.latest(dir);
    expect(await knex.schema.hasTable('selfreg_api_keys')).to.equal(true);
  });

  describe('tokens', () => {
    it('stores the creator’s name and updates only the given fields, under a row lock', async () => {
      const t = (await tokens.insert(newToken({ maxUses: 5 })))!;
      expect(t.createdByName).to.equal('Alex Admin');
      const at = new Date('2026-03-01T10:00:00Z');
      const updated = await knex.transaction(async (tx) => {
        const locked = await tokens.lockById(t.id, tx);
        expect(locked?.id).to.equal(t.id);
        return tokens.update(t.id, { nickname: 'Renamed', expiresAt: new Date('2026-06-30T23:00:00Z'), enabled: false, updatedBy: '2', updatedAt: at }, tx);
      });
      expect(updated).to.include({ nickname: 'Renamed', enabled: false, maxUses: 5 });
      expect(updated!.expiresAt!.toISOString()).to.equal('2026-06-30T23:00:00.000Z');
      expect(updated!.updatedAt!.toISOString()).to.equal(at.toISOString());
      const row = await knex('selfreg_tokens').where({ id: t.id }).first();
      expect(row.updated_by).to.equal('2');
      expect(await knex.transaction((tx) => tokens.update('999999', { nickname: 'x', updatedBy: '2', updatedAt: at }, tx))).to.equal(null);
      expect(await knex.transaction((tx) => tokens.lockById('not-an-id', tx))).to.equal(null);
    });

    it('deleting destroys the digest and ciphertext; registrations keep the nickname; the code no longer resolves', async () => {
      const t = (await tokens.insert(newToken({ nickname: 'Fair' })))!;
      await knex.transaction((tx) => new KnexRegistrationRepository(knex).record({ tokenId: t.id, tokenNickname: 'Fair', item: topic, userId: '9', newUser: true, at: new Date() }, tx));
      const digest = (await knex('selfreg_tokens').where({ id: t.id }).first()).code_digest;
      expect(await knex.transaction((tx) => tokens.deleteById(t.id, tx))).to.equal(true);
      expect(await knex.transaction((tx) => tokens.deleteById(t.id, tx))).to.equal(false);
      expect(await knex('selfreg_tokens').where({ code_digest: digest })).to.have.length(0);
      expect(await tokens.findByCode(t.code!.replace(/-/g, ''))).to.equal(null);
      const reg = await knex('selfreg_registrations').first();
      expect([reg.token_id, reg.token_nickname]).to.deep.equal([null, 'Fair']);
    });

    it('search: status derived in SQL at the given instant, item and type filters, text, newest first, keyset pages', async () => {
      const now = new Date('2026-03-01T10:00:00Z');
      const active = (await tokens.insert(newToken({ nickname: 'Newsletter 50% off_now' })))!;
      const disabled = (await tokens.insert(newToken({ nickname: 'Website' })))!;
      await knex('selfreg_tokens').where({ id: disabled.id }).update({ enabled: false });
      const expired = (await tokens.insert(newToken({ item: article, expiresAt: now })))!;
      const usedUp = (await tokens.insert(newToken({ item: article, maxUses: 1 })))!;
      await knex('selfreg_tokens').where({ id: usedUp.id }).update({ uses: 1 });
      const later = (await tokens.insert(newToken({ item: article, expiresAt: new Date(now.getTime() + 1) })))!;

      const ids = async (q: Partial<Parameters<KnexTokenRepository['search']>[0]>) => (await tokens.search({ now, limit: 100, ...q })).tokens.map((t) => t.id);
      expect(await ids({})).to.deep.equal([later.id, usedUp.id, expired.id, disabled.id, active.id]);
      expect(await ids({ status: 'active' })).to.deep.equal([later.id, active.id]);
      expect(await ids({ status: 'disabled' })).to.deep.equal([disabled.id]);
      expect(await ids({ status: 'expired' })).to.deep.equal([expired.id]);
      expect(await ids({ status: 'used_up' })).to.deep.equal([usedUp.id]);
      expect(await ids({ itemType: 'topic' })).to.deep.equal([disabled.id, active.id]);
      expect(await ids({ item: article })).to.deep.equal([later.id, usedUp.id, expired.id]);
      // LIKE wildcards are literal; the code matches by digest in any spelling; items by reference.
      expect(await ids({ text: { nickname: '50% off_', normalisedCode: null, items: [] } })).to.deep.equal([active.id]);
      expect(await ids({ text: { nickname: '%', normalisedCode: null, items: [] } })).to.deep.equal([active.id]);
      expect(await ids({ text: { nickname: 'web', normalisedCode: null, items: [] } })).to.deep.equal([disabled.id]);
      expect(await ids({ text: { nickname: 'zzz', normalisedCode: expired.code!.replace(/-/g, ''), items: [] } })).to.deep.equal([expired.id]);
      expect(await ids({ text: { nickname: 'zzz', normalisedCode: null, items: [article] }, status: 'active' })).to.deep.equal([later.id]);

      const page1 = await tokens.search({ now, limit: 2 });
      expect(page1.tokens.map((t) => t.id)).to.deep.equal([later.id, usedUp.id]);
      expect([page1.total, page1.hasMore]).to.deep.equal([5, true]);
      const page3 = await tokens.search({ now, limit: 2, beforeId: expired.id });
      expect(page3.tokens.map((t) => t.id)).to.deep.equal([disabled.id, active.id]);
      expect([page3.total, page3.hasMore]).to.deep.equal([5, false]);
      expect((await tokens.search({ now, limit: 2, beforeId: 'x; drop table' })).tokens).to.deep.equal([]);
    });
  });

  describe('audit log', () => {
    const entry = (over: Partial<NewAuditEntry>): NewAuditEntry => ({
      at: new Date('2026-03-01T10:00:00Z'), action: 'token.created', actor, tokenId: '1', tokenNickname: 'Fair', item: topic, details: { custom: false }, ...over,
    });

    it('appends in the caller’s transaction: a rollback leaves no entry', async () => {
      await knex.transaction(async (tx) => {
        await audit.append([entry({})], tx);
        throw new Error('roll back');
      }).catch(() => undefined);
      expect((await audit.list({ limit: 10 })).entries).to.have.length(0);
    });

    it('keeps entries after their token is deleted, lists newest first by item or token, with pages', async () => {
      const t = (await tokens.insert(newToken({ nickname: 'Fair' })))!;
      await audit.append([
        entry({ tokenId: t.id, details: { custom: false, expiresAt: null, maxUses: 3 } }),
        entry({ action: 'token.renamed', tokenId: t.id, tokenNickname: 'Spring', details: { from: 'Fair', to: 'Spring' } }),
        entry({ action: 'token.created', tokenId: '999', item: article, actor: { id: '1', name: 'Alex Admin', via: 'api', apiKeyId: '4', apiKeyName: 'CRM' } }),
        entry({ action: 'portal.disabled', tokenId: null, tokenNickname: null, item: null, details: {} }),
      ]);
      await knex.transaction((tx) => tokens.deleteById(t.id, tx));
      const all = await audit.list({ limit: 10 });
      expect(all.entries.map((e) => e.action)).to.deep.equal(['portal.disabled', 'token.created', 'token.renamed', 'token.created']);
      expect(all.entries[1]!.actor).to.deep.equal({ id: '1', name: 'Alex Admin', via: 'api', apiKeyId: '4', apiKeyName: 'CRM' });
      expect(all.entries[2]!.details).to.deep.equal({ from: 'Fair', to: 'Spring' });
      expect(all.entries[0]!.item).to.equal(null);
      expect((await audit.list({ limit: 10, item: topic })).entries.map((e) => e.action)).to.deep.equal(['token.renamed', 'token.created']);
      expect((await audit.list({ limit: 10, tokenId: t.id })).entries).to.have.length(2);
      const first = await audit.list({ limit: 3 });
      expect(first.hasMore).to.equal(true);
      const rest = await audit.list({ limit: 3, beforeId: first.entries[2]!.id });
      expect(rest.entries.map((e) => e.details)).to.deep.equal([{ custom: false, expiresAt: null, maxUses: 3 }]);
      expect(rest.hasMore).to.equal(false);
    });
  });

  describe('API keys', () => {
    it('stores a digest and a hint, finds live keys by digest, revokes once, and writes the last use at most once a minute', async () => {
      const key = `srk_${'k'.repeat(43)}`;
      const created = (await keys.insert({ name: 'CRM', digest: sha256Hasher.hash(key), hint: key.slice(0, 10), createdBy: '1', createdByName: 'Alex Admin', createdAt: new Date('2026-03-01T10:00:00Z'), requestId: 'form-1' }))!;
      const again = `srk_${'j'.repeat(43)}`;
      expect(await keys.insert({ name: 'CRM again', digest: sha256Hasher.hash(again), hint: again.slice(0, 10), createdBy: '1', createdByName: 'Alex Admin', createdAt: new Date(), requestId: 'form-1' })).to.equal(null);
      expect((await keys.findActiveByName('crm'))?.id).to.equal(created.id);
      expect(JSON.stringify(await knex('selfreg_api_keys').select('*'))).not.to.contain(key);
      expect((await keys.findActiveByDigest(sha256Hasher.hash(key)))?.id).to.equal(created.id);
      expect((await keys.findById(created.id))?.name).to.equal('CRM');

      const t0 = new Date('2026-03-01T10:00:00Z');
      await keys.touch(created.id, t0);
      await keys.touch(created.id, new Date(t0.getTime() + 30_000));
      expect((await keys.findById(created.id))!.lastUsedAt!.toISOString()).to.equal(t0.toISOString());
      await keys.touch(created.id, new Date(t0.getTime() + 61_000));
      expect((await keys.findById(created.id))!.lastUsedAt!.getTime()).to.equal(t0.getTime() + 61_000);

      const revoked = await keys.revoke(created.id, { id: '1', name: 'Alex Admin' }, t0);
      expect(revoked?.revokedByName).to.equal('Alex Admin');
      expect(await keys.revoke(created.id, { id: '1', name: 'Alex Admin' }, t0)).to.equal(null);
      expect(await keys.findActiveByDigest(sha256Hasher.hash(key))).to.equal(null);
      expect((await keys.list()).map((k) => [k.name, k.revokedAt !== null])).to.deep.equal([['CRM', true]]);
    });
  });

  it('registrations of a token: newest first, with the total, in keyset pages', async () => {
    const t = (await tokens.insert(newToken()))!;
    const regs = new KnexRegistrationRepository(knex);
    for (const userId of ['1', '2', '3']) {
      await knex.transaction((tx) => regs.record({ tokenId: t.id, tokenNickname: 'x', item: topic, userId, newUser: userId !== '2', at: new Date() }, tx));
    }
    const query = new KnexTokenRegistrationQuery(knex);
    const first = await query.listForToken(t.id, { limit: 2 });
    expect(first.registrations.map((r) => [r.userId, r.newUser])).to.deep.equal([['3', true], ['2', false]]);
    expect([first.total, first.hasMore]).to.deep.equal([3, true]);
    const rest = await query.listForToken(t.id, { limit: 2, beforeId: first.registrations[1]!.id });
    expect(rest.registrations.map((r) => r.userId)).to.deep.equal(['1']);
    expect((await query.listForToken('nope', { limit: 2 })).total).to.equal(0);
  });
});
