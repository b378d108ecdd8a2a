/* The abuse limits' store: several checks in one statement, on PGlite and PostgreSQL. */
import { expect } from 'chai';
import type { Knex } from 'knex';
import { createTestDatabase, type TestDatabase } from '../../../support/database.js';
import { migrate } from '../../../../src/plugin.js';
import { readManifest } from '../../../../src/manifest/manifest.js';
import { PLUGIN_ROOT } from '../../../../src/adapters/views.js';
import { KnexRateLimiter } from '../../../../src/adapters/rate-limit/knex-rate-limiter.js';
import type { PluginOptions } from '../../../../src/contract/index.js';

describe(`adapters/rate-limit/KnexRateLimiter (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let db: TestDatabase;
  let knex: Knex;
  let limiter: KnexRateLimiter;
  let statements = 0;
  const warnings: string[] = [];
  const count = () => void (statements += 1);

  before(async () => {
    db = await createTestDatabase();
    knex = db.knex;
    await migrate(knex, readManifest(PLUGIN_ROOT));
    const options = { secret: 's'.repeat(40), rateLimitIp: '3/10m', rateLimitEmail: '2/1h', rateLimitToken: '5/10m', rateLimitUnknownCode: '1/1h' } as PluginOptions;
    limiter = new KnexRateLimiter(knex, options, { info() {}, warn: (m: string) => void warnings.push(m), error() {} });
    limiter.start();
    knex.on('query', count);
  });
  after(async () => {
    knex.removeListener('query', count);
    limiter.stop();
    await db.destroy();
  });

  it('counts every check of a registration in one statement, and stores no address or email', async () => {
    statements = 0;
    const verdicts = await limiter.checkAll([
      { kind: 'ip', key: '203.0.113.9', mode: 'consume' }, { kind: 'unknownCode', key: '203.0.113.9', mode: 'peek' },
      { kind: 'email', key: 'ada@example.com', mode: 'consume' }, { kind: 'token', key: '7', mode: 'consume', onlyIfAllowed: true },
    ]);
    expect(statements).to.equal(1);
    expect(verdicts.every((v) => v.allowed)).to.equal(true);
    const keys: string[] = await knex('selfreg_rate_limits').pluck('key');
    expect(keys.map((k) => k.split(':')[0]).sort()).to.deep.equal(['email', 'ip', 'token']);
    expect(keys.join(' ')).not.to.include('203.0.113.9').and.not.to.include('ada@');
  });

  it('over a limit: refused with the wait; a gated check is not counted then, so a blocked address cannot spend a token’s count', async () => {
    const checks = [{ kind: 'email' as const, key: 'bob@example.com', mode: 'consume' as const }, { kind: 'token' as const, key: '8', mode: 'consume' as const, onlyIfAllowed: true }];
    expect((await limiter.checkAll(checks)).map((v) => v.allowed)).to.deep.equal([true, true]);
    expect((await limiter.checkAll(checks)).map((v) => v.allowed)).to.deep.equal([true, true]);
    const third = await limiter.checkAll(checks);
    expect(third[0]).to.deep.include({ allowed: false });
    expect(third[0]!.retryAfterSeconds).to.be.within(3500, 3600);
    expect(third[1]!.allowed).to.equal(true);
    const token = await knex('selfreg_rate_limits').where('key', 'like', 'token:%').orderBy('key').pluck('points');
    expect(token.map(Number)).to.include(2);
    expect(warnings).to.deep.equal(['Rate limit reached']);
  });

  it('peek counts nothing and refuses once the limit is used up', async () => {
    expect((await limiter.peek('unknownCode', '198.51.100.7')).allowed).to.equal(true);
    expect((await limiter.consume('unknownCode', '198.51.100.7')).allowed).to.equal(true);
    expect((await limiter.peek('unknownCode', '198.51.100.7')).allowed).to.equal(false);
    expect((await limiter.peek('unknownCode', '198.51.100.7')).allowed).to.equal(false);
  });
});
