/*
 * The in-memory host as a plugin test's host, instead of hand-made fakes: the real plugin on it, a
 * registration over HTTP, and everything a test asks afterwards read straight from the host's maps
 * (people, enrolments, the delivered mail) while the plugin's own tables sit on PGlite or PostgreSQL.
 */
import { expect } from 'chai';
import supertest from 'supertest';
import { createMemoryHost, type MemoryHost } from '../../conformance/hosts/memory/index.js';
import { enrolmentKey } from '../../conformance/hosts/memory/store.js';
import { randomSource } from '../../src/adapters/crypto/crypto.adapters.js';
import type { TokenRepository } from '../../src/domain/ports/token-repository.port.js';
import { TokenCode } from '../../src/domain/tokens/token-code.js';
import { register, type SelfRegistrationPlugin } from '../../src/plugin.js';
import { TYPES } from '../../src/types.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

describe('the memory host as a test host for the plugin', function () {
  let db: TestDatabase;
  let memory: MemoryHost;
  let plugin: SelfRegistrationPlugin;

  before(async () => {
    db = await createTestDatabase();
    memory = createMemoryHost({ knex: db.knex, publicBaseUrl: 'https://learn.memory.example' });
    plugin = register(memory.host, { secret: 'memory-host-usage-secret-memory-host-usage', outboxPollMs: 50, rateLimitIp: 'off', rateLimitEmail: 'off' });
    await plugin.start();
  });
  after(async () => {
    await plugin?.stop();
    await db?.destroy();
  });

  it('registers a newcomer: a prospect enrolled in the item, the invitation in the host’s mailbox', async () => {
    const item = memory.addItem({ type: 'article', origin: 'own', title: 'Pricing 101' });
    const code = TokenCode.generate(randomSource);
    await plugin.container.get<TokenRepository>(TYPES.TokenRepository).insert({
      item: item.ref, nickname: 'Spring', normalisedCode: code.normalised, displayCode: code.display, custom: false, expiresAt: null, maxUses: null, createdBy: null,
    });
    const res = await supertest(memory.app).post('/register').type('form').send({ firstName: 'Mo', lastName: 'Memory', email: 'Mo@Example.com', token: code.display });
    expect(res.status).to.equal(200);

    const user = [...memory.store.users.values()].find((u) => u.email.toLowerCase() === 'mo@example.com');
    expect(user).to.include({ type: 'prospect', status: 'active', role: null });
    expect(memory.store.enrolments.has(enrolmentKey(user!.id, item.ref))).to.equal(true);
    for (let i = 0; i < 100 && memory.mailbox.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(memory.mailbox.map((m) => m.to)).to.deep.equal(['mo@example.com']);
    expect(memory.mailbox[0]!.text).to.contain('https://learn.memory.example/self-registration/invitation/');
  });

  it('told the host nothing stays off: it offers every part a 1.1 feature needs', () => {
    expect(plugin.features.filter((f) => !f.enabled)).to.deep.equal([]);
    expect(memory.logged.filter((l) => l.level === 'warn' && / is off: /.test(l.message))).to.deep.equal([]);
  });
});
