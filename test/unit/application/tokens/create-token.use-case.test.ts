/* CreateTokenUseCase: validation, generated and custom codes, collisions. */
import { expect } from 'chai';
import { FakeRandom, item, seedToken } from '../../../support/fakes/index.js';
import { libraryArticle, setup, standardAdmin, superAdmin, topic } from './token-use-cases.fixture.js';

describe('application/CreateTokenUseCase', () => {
  it('lets a standard admin create a token', async () => {
    const { uc } = setup();
    const r = await uc.create.execute(standardAdmin, topic.ref, {});
    expect(r.ok).to.equal(true);
    expect(r.ok && r.value.createdBy).to.equal('admin-2');
  });

  it('refuses an unknown item with KNOWLEDGE.NOT_FOUND', async () => {
    const { world, uc } = setup();
    expect(await uc.create.execute(superAdmin, { type: 'pathway', id: 'gone' }, {})).to.deep.equal({
      ok: false,
      error: { code: 'KNOWLEDGE.NOT_FOUND' },
    });
    expect(world.tokens.inserts).to.have.length(0);
  });

  it('refuses library content with KNOWLEDGE.LIBRARY_CONTENT', async () => {
    const { world, uc } = setup();
    const r = await uc.create.execute(superAdmin, libraryArticle.ref, { customCode: 'LIBRARY-CODE' });
    expect(r.ok).to.equal(false);
    expect(!r.ok && r.error.code).to.equal('KNOWLEDGE.LIBRARY_CONTENT');
    expect(world.tokens.inserts).to.have.length(0);
    expect(world.db.state.tokens).to.have.length(0);
  });

  it('refuses an invalid nickname before inserting', async () => {
    const { world, uc } = setup();
    const r = await uc.create.execute(superAdmin, topic.ref, { nickname: 'line\nbreak' });
    expect(!r.ok && r.error.code).to.equal('TOKEN.NICKNAME_INVALID');
    expect(world.tokens.inserts).to.have.length(0);
  });

  it('generates a code from the random source and stores every field from the input and the server', async () => {
    const { world, uc, random } = setup();
    const expiresAt = new Date('2026-06-30T23:00:00Z');
    const r = await uc.create.execute(superAdmin, topic.ref, { nickname: '  Spring fair ', expiresAt, maxUses: 50 });
    expect(random.intCalls).to.deep.equal(Array(12).fill(32));
    expect(world.tokens.inserts).to.deep.equal([
      {
        item: { type: 'topic', id: '42' },
        nickname: 'Spring fair',
        expiresAt,
        maxUses: 50,
        createdBy: 'admin-1',
        createdByName: 'First Last',
        normalisedCode: '0123456789AB',
        displayCode: '0123-4567-89AB',
        custom: false,
      },
    ]);
    expect(r.ok).to.equal(true);
    if (!r.ok) return;
    expect(r.value).to.equal(world.db.state.tokens[0]);
    expect(r.value).to.include({ code: '0123-4567-89AB', custom: false, nickname: 'Spring fair', maxUses: 50, uses: 0 });
  });

  it('defaults nickname, expiry and max uses to null', async () => {
    const { world, uc } = setup();
    await uc.create.execute(superAdmin, topic.ref, {});
    expect(world.tokens.inserts[0]).to.include({ nickname: null, expiresAt: null, maxUses: null });
  });

  it('generates a code when the custom code is blank', async () => {
    const { world, uc } = setup();
    await uc.create.execute(superAdmin, topic.ref, { customCode: '   ' });
    await uc.create.execute(superAdmin, topic.ref, { customCode: null });
    expect(world.tokens.inserts.map((t) => t.custom)).to.deep.equal([false, false]);
    expect(world.tokens.inserts[1]!.displayCode).to.equal('CDEF-GHJK-MNPQ');
  });

  it('stores a custom code upper-cased for display and normalised for lookup', async () => {
    const { world, uc, random } = setup();
    const r = await uc.create.execute(superAdmin, topic.ref, { customCode: '  open-day-2026 ' });
    expect(random.intCalls).to.have.length(0);
    expect(world.tokens.inserts).to.have.length(1);
    expect(world.tokens.inserts[0]).to.include({ normalisedCode: '0PENDAY2026', displayCode: 'OPEN-DAY-2026', custom: true });
    expect(r.ok && r.value.code).to.equal('OPEN-DAY-2026');
  });

  it('refuses an invalid or too short custom code without inserting', async () => {
    const { world, uc } = setup();
    const invalid = await uc.create.execute(superAdmin, topic.ref, { customCode: 'OPEN_DAY_2026' });
    const short = await uc.create.execute(superAdmin, topic.ref, { customCode: 'OPEN-DA' });
    expect(!invalid.ok && invalid.error.code).to.equal('TOKEN.CODE_INVALID');
    expect(!short.ok && short.error.code).to.equal('TOKEN.CODE_TOO_SHORT');
    expect(world.tokens.inserts).to.have.length(0);
  });

  it('refuses a custom code already taken, by any item, even spelt with look-alikes: TOKEN.CODE_TAKEN, one attempt', async () => {
    const { world, uc } = setup();
    const other = item('pathway', '1');
    world.db.state.items.push(other);
    seedToken(world.db, 'old', 'WE1C0ME101', other.ref, { custom: true });
    const r = await uc.create.execute(superAdmin, topic.ref, { customCode: 'welcome-lol' });
    expect(r).to.deep.equal({ ok: false, error: { code: 'TOKEN.CODE_TAKEN', detail: 'That code is already in use. Choose another.' } });
    expect(world.tokens.inserts).to.have.length(1);
    expect(world.db.state.tokens.map((t) => t.id)).to.deep.equal(['old']);
  });

  it('retries a generated code that collides, with a fresh draw', async () => {
    const script = [...Array(12).fill(0), ...Array(12).fill(31)];
    const { world, uc, random } = setup(new FakeRandom(script));
    seedToken(world.db, 'old', '000000000000', topic.ref);
    const r = await uc.create.execute(superAdmin, topic.ref, {});
    expect(random.intCalls).to.have.length(24);
    expect(world.tokens.inserts.map((t) => t.normalisedCode)).to.deep.equal(['000000000000', 'ZZZZZZZZZZZZ']);
    expect(r.ok && r.value.code).to.equal('ZZZZ-ZZZZ-ZZZZ');
    expect(world.db.state.tokens).to.have.length(2);
  });

  it('gives up with TOKEN.CODE_TAKEN after 5 collisions', async () => {
    const { world, uc } = setup(new FakeRandom(Array(100).fill(0)));
    seedToken(world.db, 'old', '000000000000', topic.ref);
    const r = await uc.create.execute(superAdmin, topic.ref, {});
    expect(r).to.deep.equal({ ok: false, error: { code: 'TOKEN.CODE_TAKEN' } });
    expect(world.tokens.inserts).to.have.length(5);
    expect(world.db.state.tokens).to.have.length(1);
  });
});
