/*
 * The admin lists look their items and people up in one batch per page: the statements the Tokens
 * page and a token's registrations (the API) send are counted through knex's 'query' event, and stay
 * the same whether a page shows a few rows or many.
 */
import { expect } from 'chai';
import supertest from 'supertest';
import type { Knex } from 'knex';
import { startTestSandbox, type TestSandbox } from '../sandbox/helpers.js';
import { signIn, type Person } from '../support/sign-in.js';
import { createApiKey } from './token-management.fixtures.js';
import { TYPES } from '../../src/types.js';
import { TokenCode } from '../../src/domain/tokens/token-code.js';
import { randomSource } from '../../src/adapters/crypto/crypto.adapters.js';
import type { TokenRepository } from '../../src/domain/ports/token-repository.port.js';
import type { SelfRegistrationPlugin } from '../../src/plugin.js';

describe('e2e: admin lists send a bounded number of statements per page', function () {
  this.timeout(60_000);
  let t: TestSandbox;
  let knex: Knex;
  let admin: Person;
  let key: string;
  let sent: string[] = [];
  const listen = (q: { sql: string }) => void sent.push(q.sql);

  before(async () => {
    t = await startTestSandbox({ plugin: false });
    knex = t.knex;
    await t.sandbox.loadPlugin({ options: { outboxPollMs: 60_000 } });
    admin = await signIn(t, 'Super admin');
    key = await createApiKey(admin, 'Counting');
    knex.on('query', listen);
  });
  after(async () => {
    knex.removeListener('query', listen);
    await t?.destroy();
  });

  const counted = async (request: () => Promise<unknown>) => {
    sent = [];
    await request();
    // Background workers (outbox, digests) share the connection pool: their statements are not the page's.
    return sent.filter((q) => !/sandbox_sessions|selfreg_digest|selfreg_outbox/.test(q));
  };

  /** `n` more tokens, each on an item of its own, made by the admin (so each row names an item and a creator). */
  async function addTokens(n: number): Promise<void> {
    for (let i = 0; i < n; i++) {
      const [item] = await knex('sandbox_items').insert({ type: 'topic', title: `Item ${i} ${Math.random()}`, body: '', origin: 'own' }).returning('id');
      const code = TokenCode.generate(randomSource);
      const repo = (t.sandbox.plugin!.instance as SelfRegistrationPlugin).container.get<TokenRepository>(TYPES.TokenRepository);
      await repo.insert({
        item: { type: 'topic', id: String(item.id) }, nickname: `T${i}`, normalisedCode: code.normalised, displayCode: code.display, custom: false,
        expiresAt: null, maxUses: null, createdBy: admin.id,
      });
    }
  }

  it('the Tokens page: as many statements for 40 rows as for 2', async () => {
    await addTokens(2);
    const few = await counted(() => admin.agent.get('/admin/self-registration/tokens').expect(200));
    await addTokens(38);
    const many = await counted(() => admin.agent.get('/admin/self-registration/tokens').expect(200));
    expect(Number((await knex('selfreg_tokens').count({ n: '*' }).first())!.n)).to.be.at.least(40);
    expect(many.length, many.join('\n')).to.equal(few.length);
    expect(many.filter((q) => /from "sandbox_items"/.test(q)).length, 'items in one lookup').to.be.at.most(1);
  });

  it("a token's registrations: as many statements for 30 people as for 2", async () => {
    const [token] = await knex('selfreg_tokens').orderBy('id').limit(1);
    const item = { type: token.item_type, id: token.item_id };
    const register = async (from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const [u] = await knex('sandbox_users').insert({ email: `r${i}@example.com`, first_name: 'R', last_name: String(i), type: 'prospect', status: 'active' }).returning('id');
        await knex('selfreg_registrations').insert({ token_id: token.id, item_type: item.type, item_id: item.id, user_id: String(u.id), new_user: true });
      }
    };
    const list = () => supertest(t.sandbox.app).get(`/api/self-registration/v1/tokens/${token.id}/registrations?limit=100`).set({ Authorization: `Bearer ${key}` }).expect(200);
    await register(0, 2);
    const few = await counted(list);
    await register(2, 30);
    const many = await counted(list);
    const body = (await list()).body as { data: { user: { email: string } | null }[] };
    expect(body.data).to.have.length(30);
    expect(body.data.every((r) => r.user?.email.startsWith('r'))).to.equal(true);
    expect(many.length, many.join('\n')).to.equal(few.length);
    expect(many.filter((q) => /from "sandbox_users"/.test(q)).length, 'people in one lookup (besides the API key check)').to.be.at.most(2);
  });
});
