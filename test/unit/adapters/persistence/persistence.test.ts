import { readdirSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import type { Knex } from 'knex';
import { createTestDatabase, type TestDatabase } from '../../../support/database.js';
import { migrate } from '../../../../src/plugin.js';
import { readManifest } from '../../../../src/manifest/manifest.js';
import { PLUGIN_ROOT } from '../../../../src/adapters/views.js';
import { CodeProtector } from '../../../../src/adapters/crypto/crypto.adapters.js';
import { KnexTokenRepository } from '../../../../src/adapters/persistence/token.repository.js';
import { KnexEmailLinkRepository } from '../../../../src/adapters/persistence/email-link.repository.js';
import { KnexRegistrationRepository } from '../../../../src/adapters/persistence/registration.repository.js';
import { KnexSettingsRepository } from '../../../../src/adapters/persistence/settings.repository.js';
import { KnexOutbox } from '../../../../src/adapters/mail/outbox.store.js';
import type { NewToken } from '../../../../src/domain/ports/token-repository.port.js';

const onPostgres = !!process.env.DATABASE_URL;
const topic = { type: 'topic', id: '1' } as const;
const newToken = (over: Partial<NewToken> = {}): NewToken => ({
  item: topic,
  nickname: 'Newsletter',
  normalisedCode: 'ABCD1234EFGH',
  displayCode: 'ABCD-1234-EFGH',
  custom: false,
  expiresAt: null,
  maxUses: null,
  createdBy: '1',
  ...over,
});

describe(`plugin storage (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  let db: TestDatabase;
  let knex: Knex;
  const protector = new CodeProtector({ secret: 's'.repeat(40) });
  let tokens: KnexTokenRepository;

  before(async () => {
    db = await createTestDatabase();
    knex = db.knex;
    await migrate(knex, readManifest(PLUGIN_ROOT));
    tokens = new KnexTokenRepository(knex, protector);
  });
  after(() => db.destroy());
  beforeEach(async () => {
    await knex.raw('truncate selfreg_registrations, selfreg_email_links, selfreg_outbox, selfreg_settings, selfreg_tokens restart identity cascade');
  });

  it('migrations are tracked in the plugin’s own table and are idempotent', async () => {
    await migrate(knex, readManifest(PLUGIN_ROOT));
    const rows = await knex('selfreg_migrations').select('name').orderBy('id');
    const files = readdirSync(path.join(PLUGIN_ROOT, 'migrations')).filter((f) => f.endsWith('.ts')).sort();
    expect(files[0]).to.equal('20261129000100_foundation.ts');
    expect(rows.map((r: { name: string }) => r.name)).to.deep.equal(files);
  });

  describe('tokens', () => {
    it('stores no code in the clear: a digest for lookup and a ciphertext for display', async () => {
      const created = await tokens.insert(newToken());
      expect(created?.code).to.equal('ABCD-1234-EFGH');
      const row = await knex('selfreg_tokens').first();
      expect(JSON.stringify(row)).not.to.contain('ABCD1234EFGH').and.not.to.contain('ABCD-1234-EFGH');
      expect((await tokens.findByCode('ABCD1234EFGH'))?.id).to.equal(created!.id);
      expect(await tokens.findByCode('ABCD1234EFGX')).to.equal(null);
    });

    it('a taken code is refused, for any item', async () => {
      expect(await tokens.insert(newToken())).not.to.equal(null);
      expect(await tokens.insert(newToken({ item: { type: 'article', id: '9' } }))).to.equal(null);
    });

    it('claims a use only while the token is enabled, unexpired and under its limit', async () => {
      const now = new Date();
      const t = (await tokens.insert(newToken({ maxUses: 2 })))!;
      expect((await knex.transaction((tx) => tokens.claimUse(t.id, now, tx)))?.uses).to.equal(1);
      expect((await knex.transaction((tx) => tokens.claimUse(t.id, now, tx)))?.uses).to.equal(2);
      expect(await knex.transaction((tx) => tokens.claimUse(t.id, now, tx))).to.equal(null);

      const expired = (await tokens.insert(newToken({ normalisedCode: 'EXP1RED00000', displayCode: 'EXP1-RED0-0000', expiresAt: new Date(now.getTime() - 1) })))!;
      expect(await knex.transaction((tx) => tokens.claimUse(expired.id, now, tx))).to.equal(null);
      const disabled = (await tokens.insert(newToken({ normalisedCode: 'D1SAB1ED0000', displayCode: 'D1SA-B1ED-0000' })))!;
      await knex('selfreg_tokens').where({ id: disabled.id }).update({ enabled: false });
      expect(await knex.transaction((tx) => tokens.claimUse(disabled.id, now, tx))).to.equal(null);
    });

    it('concurrent claims never exceed max uses (PostgreSQL only: PGlite has a single connection, so claims cannot overlap)', async function () {
      if (!onPostgres) this.skip(); // PGlite has one connection: claims cannot overlap there.
      const t = (await tokens.insert(newToken({ maxUses: 5 })))!;
      const results = await Promise.all(
        Array.from({ length: 30 }, () => knex.transaction((tx) => tokens.claimUse(t.id, new Date(), tx))),
      );
      expect(results.filter(Boolean)).to.have.length(5);
      expect((await tokens.findById(t.id))?.uses).to.equal(5);
    });

    it('deleting an item’s tokens keeps its registrations with the nickname only', async () => {
      const t = (await tokens.insert(newToken()))!;
      const registrations = new KnexRegistrationRepository(knex);
      await knex.transaction((tx) => registrations.record({ tokenId: t.id, tokenNickname: 'Newsletter', item: topic, userId: '7', newUser: true, at: new Date() }, tx));
      expect(await tokens.deleteForItem(topic)).to.equal(1);
      expect(await tokens.findById(t.id)).to.equal(null);
      const row = await knex('selfreg_registrations').first();
      expect(row.token_id).to.equal(null);
      expect(row.token_nickname).to.equal('Newsletter');
    });
  });

  describe('emailed links', () => {
    const links = () => new KnexEmailLinkRepository(knex);
    const issue = (digest: string, now = new Date(), ttl = 60_000) =>
      knex.transaction((tx) =>
        links().issue({ userId: '5', purpose: 'invitation', item: topic, tokenId: null, secretDigest: digest, expiresAt: new Date(now.getTime() + ttl), now }, tx),
      );

    it('a new link revokes the older ones of the same kind; a link is used once', async () => {
      const first = await issue('a'.repeat(64));
      const second = await issue('b'.repeat(64));
      expect((await links().findByDigest('a'.repeat(64)))?.revokedAt).to.be.instanceOf(Date);
      expect(await knex.transaction((tx) => links().consume(first.id, new Date(), tx))).to.equal(false);
      expect(await knex.transaction((tx) => links().consume(second.id, new Date(), tx))).to.equal(true);
      expect(await knex.transaction((tx) => links().consume(second.id, new Date(), tx))).to.equal(false);
    });

    it('an expired link cannot be consumed', async () => {
      const link = await issue('c'.repeat(64), new Date(), 1);
      expect(await knex.transaction((tx) => links().consume(link.id, new Date(Date.now() + 10), tx))).to.equal(false);
    });

    it('an invitation is pending until one is accepted', async () => {
      expect(await links().invitationPending('5')).to.equal(false);
      const link = await issue('d'.repeat(64));
      expect(await links().invitationPending('5')).to.equal(true);
      await knex.transaction((tx) => links().consume(link.id, new Date(), tx));
      expect(await links().invitationPending('5')).to.equal(false);
    });
  });

  describe('outbox', () => {
    const outbox = () => new KnexOutbox(knex, { secret: 'x'.repeat(32), mailFrom: 'training@acme.test' });
    const mail = (to: string) => ({ to, template: 'invitation' as const, data: { firstName: 'Ann' } });

    it('mail enqueued in a rolled-back transaction never exists', async () => {
      await knex.transaction(async (tx) => {
        await outbox().enqueue(mail('a@example.com'), tx);
        await tx.rollback();
      }).catch(() => undefined);
      expect(await outbox().claimDue(10, 60_000)).to.have.length(0);
    });

    it('claims are exclusive, retries wait their backoff, and a lapsed lease is claimed again', async () => {
      await knex.transaction((tx) => Promise.all(['a', 'b', 'c'].map((x) => outbox().enqueue(mail(`${x}@example.com`), tx))));
      const [one, two] = await Promise.all([outbox().claimDue(2, 60_000), outbox().claimDue(2, 60_000)]);
      const ids = [...one!, ...two!].map((m) => m.id);
      expect(new Set(ids).size).to.equal(3);
      expect(one![0]!.messageId).to.match(/^<[0-9a-f-]{36}@acme\.test>$/);

      await outbox().markRetry(ids[0]!, 'SMTP down', 60_000);
      await outbox().markSent(ids[1]!);
      expect(await outbox().claimDue(10, 60_000)).to.have.length(0);
      await knex('selfreg_outbox').where({ id: ids[2] }).update({ locked_until: knex.raw("now() - interval '1 second'") });
      const again = await outbox().claimDue(10, 60_000);
      expect(again.map((m) => m.id)).to.deep.equal([ids[2]]);
      expect(again[0]!.attempts).to.equal(2);
      expect(await outbox().counts()).to.deep.equal({ queued: 2, sent: 1, failed: 0 });
    });
  });

  it('self-registration is on until switched off', async () => {
    const settings = new KnexSettingsRepository(knex);
    expect(await settings.portalEnabled()).to.equal(true);
    await settings.setPortalEnabled(false);
    expect(await settings.portalEnabled()).to.equal(false);
    await settings.setPortalEnabled(true);
    expect(await settings.portalEnabled()).to.equal(true);
  });
});
