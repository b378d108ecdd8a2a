import { expect } from 'chai';
import type { SessionData } from 'express-session';
import { checkPasswordPolicy, hashPassword, verifyPassword } from '../../sandbox/passwords.js';
import { migrateSandbox } from '../../sandbox/db.js';
import { KnexSessionStore } from '../../sandbox/session-store.js';
import { createTestDatabase } from '../support/database.js';
import type { TestDatabase } from '../support/database.js';

describe('sandbox passwords', () => {
  it('hashes with a salt and verifies in the stored format', async () => {
    const a = await hashPassword('a fine password');
    const b = await hashPassword('a fine password');
    expect(a).to.match(/^scrypt\$16384\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(a).not.to.equal(b);
    expect(await verifyPassword('a fine password', a)).to.equal(true);
    expect(await verifyPassword('a fine passworD', a)).to.equal(false);
    expect(await verifyPassword('x', null)).to.equal(false);
    expect(await verifyPassword('x', 'scrypt$99999999$8$1$AAAA$BBBB')).to.equal(false);
    expect(await verifyPassword('x', 'bcrypt$whatever')).to.equal(false);
  });

  it('applies the policy', () => {
    expect(checkPasswordPolicy('123456789')).to.deep.include({ ok: false });
    expect(checkPasswordPolicy('zzzzzzzzzzzz')).to.deep.include({ ok: false });
    expect(checkPasswordPolicy('x'.repeat(199) + 'y')).to.deep.equal({ ok: true });
    expect(checkPasswordPolicy('x'.repeat(200) + 'y')).to.deep.include({ ok: false });
    expect(checkPasswordPolicy('ten chars!')).to.deep.equal({ ok: true });
  });
});

describe('sandbox session store', function () {
  let db: TestDatabase;
  let store: KnexSessionStore;
  before(async () => {
    db = await createTestDatabase();
    await migrateSandbox(db.knex);
    store = new KnexSessionStore(db.knex, { pruneIntervalMs: 60_000 });
  });
  after(async () => {
    store?.close();
    await db?.destroy();
  });

  const call = <T>(fn: (cb: (err: unknown, value?: T) => void) => void): Promise<T | undefined> =>
    new Promise((resolve, reject) => fn((err, value) => (err ? reject(err) : resolve(value))));
  const sess = (expires: Date | null, extra: Record<string, unknown> = {}) =>
    ({ cookie: { originalMaxAge: null, expires, httpOnly: true, path: '/' }, ...extra }) as unknown as SessionData;

  it('sets, gets, touches and destroys sessions', async () => {
    await call((cb) => store.set('s1', sess(null, { a: 1 }), cb));
    expect(await call((cb) => store.get('s1', cb))).to.deep.include({ a: 1 });
    await call((cb) => store.set('s1', sess(null, { a: 2 }), cb));
    expect(await call((cb) => store.get('s1', cb))).to.deep.include({ a: 2 });
    await call((cb) => store.touch('s1', sess(new Date(Date.now() + 60_000)), cb));
    expect(await call<number>((cb) => store.length(cb))).to.equal(1);
    await call((cb) => store.destroy('s1', cb));
    expect(await call((cb) => store.get('s1', cb))).to.equal(null);
  });

  it('ignores and prunes expired sessions', async () => {
    await call((cb) => store.set('old', sess(new Date(Date.now() - 1000)), cb));
    await call((cb) => store.set('new', sess(new Date(Date.now() + 60_000)), cb));
    expect(await call((cb) => store.get('old', cb))).to.equal(null);
    expect(await store.prune()).to.equal(1);
    expect(await call((cb) => store.get('new', cb))).to.not.equal(null);
  });
});
