/* Token management use cases beyond creation: edit, deactivate/reactivate, delete, search, audit, registrations. */
import { expect } from 'chai';
import { TokensService } from '../../../../src/application/tokens/tokens.service.js';
import { PortalSwitchService } from '../../../../src/application/portal/portal-switch.service.js';
import type { HostUser } from '../../../../src/domain/shared/user.js';
import { item, makeWorld, NOW, seedToken, tokenIn, user, type World } from '../../../support/fakes.js';

const topic = item('topic', '42', { title: 'Fire safety' });
const article = item('article', '8', { title: 'Ladder safety' });
const library = item('pathway', '5', { origin: 'library', title: 'Imported pathway' });
const superAdmin = user('admin-1', { type: 'staff', role: 'super_admin', firstName: 'Alex', lastName: 'Admin' });
const standardAdmin = user('admin-2', { type: 'staff', role: 'standard_admin', firstName: 'Erin', lastName: 'Editor' });
const learner = user('learner-1');

function setup(now = NOW) {
  const world: World = makeWorld(now);
  world.db.state.items.push(topic, article, library);
  world.db.state.users.push(superAdmin, standardAdmin, learner);
  const service = new TokensService({ ...world, registrations: world.tokenRegistrations });
  return { world, service };
}

const audit = (world: World) => world.audit.entries.map((e) => [e.action, e.tokenId, e.details]);

describe('application/TokensService: managing tokens', () => {
  describe('create with expiry and max uses, audited', () => {
    it('turns the expiry date into the end of that day in the portal’s time zone (Europe/London in summer)', async () => {
      const { world, service } = setup();
      const r = await service.create(standardAdmin, topic.ref, { nickname: 'Fair', expiresOn: '2026-06-30', maxUses: 25 });
      expect(r.ok).to.equal(true);
      expect(world.tokens.inserts[0]).to.include({ maxUses: 25, createdBy: 'admin-2', createdByName: 'Erin Editor' });
      expect(world.tokens.inserts[0]!.expiresAt!.toISOString()).to.equal('2026-06-30T23:00:00.000Z');
      expect(world.audit.entries).to.have.length(1);
      expect(world.audit.entries[0]).to.deep.include({
        action: 'token.created',
        actor: { id: 'admin-2', name: 'Erin Editor', via: 'panel' },
        tokenNickname: 'Fair',
        item: topic.ref,
        details: { custom: false, expiresAt: '2026-06-30T23:00:00.000Z', maxUses: 25 },
      });
    });

    it('refuses a past expiry date and bad max uses, writing nothing', async () => {
      const { world, service } = setup();
      const past = await service.create(superAdmin, topic.ref, { expiresOn: '2026-02-28' });
      const zero = await service.create(superAdmin, topic.ref, { maxUses: 0 });
      const fraction = await service.create(superAdmin, topic.ref, { maxUses: 2.5 });
      expect([past, zero, fraction].map((r) => !r.ok && r.error.code)).to.deep.equal(['TOKEN.EXPIRY_IN_PAST', 'TOKEN.MAX_USES_INVALID', 'TOKEN.MAX_USES_INVALID']);
      expect(world.tokens.inserts).to.have.length(0);
      expect(world.audit.entries).to.have.length(0);
    });

    it('a taken custom code writes no audit entry', async () => {
      const { world, service } = setup();
      seedToken(world.db, 'old', '0PENDAY2026', article.ref);
      const r = await service.create(superAdmin, topic.ref, { customCode: 'OPEN-DAY-2026' });
      expect(!r.ok && r.error.code).to.equal('TOKEN.CODE_TAKEN');
      expect(world.audit.entries).to.have.length(0);
    });

    it('records the API key a creation came through', async () => {
      const { world, service } = setup();
      await service.create(superAdmin, topic.ref, {}, { via: 'api', apiKeyId: 'k1', apiKeyName: 'CRM' });
      expect(world.audit.entries[0]!.actor).to.deep.equal({ id: 'admin-1', name: 'Alex Admin', via: 'api', apiKeyId: 'k1', apiKeyName: 'CRM' });
    });
  });

  describe('update', () => {
    it('changes nickname, expiry and max uses under a row lock, with one audit entry per kind of change', async () => {
      const { world, service } = setup();
      seedToken(world.db, 't1', 'AAAAAAAAAAAA', topic.ref, { nickname: 'Fair', maxUses: 10, uses: 3 });
      const r = await service.update(standardAdmin, 't1', { nickname: ' Spring fair ', expiresOn: '2026-03-29', maxUses: 20 });
      expect(r.ok).to.equal(true);
      expect(world.tokens.locked).to.deep.equal(['t1']);
      const t = tokenIn(world.db, 't1');
      expect(t).to.include({ nickname: 'Spring fair', maxUses: 20 });
      expect(t.expiresAt!.toISOString()).to.equal('2026-03-29T23:00:00.000Z'); // BST from that morning
      expect(audit(world)).to.deep.equal([
        ['token.renamed', 't1', { from: 'Fair', to: 'Spring fair' }],
        ['token.expiry_changed', 't1', { from: null, to: '2026-03-29T23:00:00.000Z' }],
        ['token.max_uses_changed', 't1', { from: 10, to: 20 }],
      ]);
      expect(r.ok && r.value.status).to.equal('active');
    });

    it('an unchanged form changes nothing and logs nothing; the shown expiry date keeps the stored instant', async () => {
      const { world, service } = setup(new Date('2026-05-01T12:00:00Z'));
      const expired = new Date('2026-04-01T23:00:00Z'); // end of 1 April (BST), already past
      seedToken(world.db, 't1', 'AAAAAAAAAAAA', topic.ref, { nickname: 'Fair', expiresAt: expired, maxUses: 10 });
      const r = await service.update(superAdmin, 't1', { nickname: 'Fair', expiresOn: '2026-04-01', maxUses: 10 });
      expect(r.ok && r.value.status).to.equal('expired');
      expect(world.audit.entries).to.have.length(0);
      expect(tokenIn(world.db, 't1').expiresAt).to.deep.equal(expired);
    });

    it('clearing expiry and max uses makes them unlimited', async () => {
      const { world, service } = setup();
      seedToken(world.db, 't1', 'AAAAAAAAAAAA', topic.ref, { expiresAt: new Date('2026-12-31T00:00:00Z'), maxUses: 10 });
      await service.update(superAdmin, 't1', { expiresOn: '', maxUses: null });
      expect(tokenIn(world.db, 't1')).to.include({ expiresAt: null, maxUses: null });
      expect(audit(world).map((a) => a[0])).to.deep.equal(['token.expiry_changed', 'token.max_uses_changed']);
    });

    it('refuses max uses below the uses made, a bad nickname or a past date, changing nothing', async () => {
      const { world, service } = setup();
      seedToken(world.db, 't1', 'AAAAAAAAAAAA', topic.ref, { nickname: 'Fair', maxUses: 10, uses: 6 });
      const below = await service.update(superAdmin, 't1', { nickname: 'New', maxUses: 5 });
      const nick = await service.update(superAdmin, 't1', { nickname: 'x'.repeat(101) });
      const past = await service.update(superAdmin, 't1', { expiresOn: '2025-01-01' });
      expect([below, nick, past].map((r) => !r.ok && r.error.code)).to.deep.equal(['TOKEN.MAX_USES_BELOW_USES', 'TOKEN.NICKNAME_INVALID', 'TOKEN.EXPIRY_IN_PAST']);
      expect(tokenIn(world.db, 't1')).to.include({ nickname: 'Fair', maxUses: 10 });
      expect(world.audit.entries).to.have.length(0);
    });

    it('answers TOKEN.NOT_FOUND for an unknown token', async () => {
      const { service } = setup();
      expect(await service.update(superAdmin, 'nope', { nickname: 'x' })).to.deep.equal({ ok: false, error: { code: 'TOKEN.NOT_FOUND' } });
    });

    it('a token of library content may only be switched off', async () => {
      const { world, service } = setup();
      seedToken(world.db, 'lib', 'LLLLLLLLLLLL', library.ref);
      const rename = await service.update(superAdmin, 'lib', { nickname: 'x' });
      expect(!rename.ok && rename.error.code).to.equal('KNOWLEDGE.LIBRARY_CONTENT');
      expect((await service.setEnabled(superAdmin, 'lib', false)).ok).to.equal(true);
      const enable = await service.setEnabled(superAdmin, 'lib', true);
      expect(!enable.ok && enable.error.code).to.equal('KNOWLEDGE.LIBRARY_CONTENT');
      expect(tokenIn(world.db, 'lib').enabled).to.equal(false);
    });
  });

  describe('deactivate and reactivate', () => {
    it('flips the flag with disabled/enabled audit entries; repeating it is a no-op', async () => {
      const { world, service } = setup();
      seedToken(world.db, 't1', 'AAAAAAAAAAAA', topic.ref, { nickname: 'Fair' });
      const off = await service.setEnabled(superAdmin, 't1', false);
      expect(off.ok && off.value.status).to.equal('disabled');
      await service.setEnabled(superAdmin, 't1', false);
      const on = await service.setEnabled(standardAdmin, 't1', true);
      expect(on.ok && on.value.status).to.equal('active');
      expect(audit(world)).to.deep.equal([
        ['token.disabled', 't1', {}],
        ['token.enabled', 't1', {}],
      ]);
      expect(world.audit.entries.map((e) => e.actor.name)).to.deep.equal(['Alex Admin', 'Erin Editor']);
    });
  });

  describe('delete', () => {
    it('removes the token (and its code) and keeps an audit entry with the nickname snapshot', async () => {
      const { world, service } = setup();
      seedToken(world.db, 't1', 'AAAAAAAAAAAA', topic.ref, { nickname: 'Fair', uses: 2 });
      const r = await service.delete(superAdmin, 't1');
      expect(r.ok && r.value.id).to.equal('t1');
      expect(world.db.state.tokens).to.have.length(0);
      expect(world.db.state.tokenCodes).to.deep.equal({});
      expect(world.audit.entries[0]).to.deep.include({ action: 'token.deleted', tokenId: 't1', tokenNickname: 'Fair', item: topic.ref, details: { uses: 2 } });
      expect(JSON.stringify(world.audit.entries)).not.to.contain('AAAAAAAAAAAA');
      expect(await service.delete(superAdmin, 't1')).to.deep.equal({ ok: false, error: { code: 'TOKEN.NOT_FOUND' } });
      expect(world.audit.entries).to.have.length(1);
    });
  });

  describe('permissions: every use case refuses learners and anonymous callers, writing nothing', () => {
    for (const [who, actor] of [['anonymous', null], ['a learner', learner]] as [string, HostUser | null][]) {
      it(`refuses ${who}`, async () => {
        const { world, service } = setup();
        seedToken(world.db, 't1', 'AAAAAAAAAAAA', topic.ref, { nickname: 'Fair' });
        const results = [
          await service.get(actor, 't1'),
          await service.search(actor, {}),
          await service.update(actor, 't1', { nickname: 'x' }),
          await service.setEnabled(actor, 't1', false),
          await service.delete(actor, 't1'),
          await service.activity(actor, {}),
          await service.registrations(actor, 't1'),
        ];
        expect(results.map((r) => !r.ok && r.error.code)).to.deep.equal(Array(7).fill('PERMISSION.DENIED'));
        expect(tokenIn(world.db, 't1')).to.include({ nickname: 'Fair', enabled: true });
        expect(world.audit.entries).to.have.length(0);
      });
    }
  });

  describe('search (the portal-wide Tokens page)', () => {
    function seeded() {
      const s = setup();
      seedToken(s.world.db, 'a1', 'AAAAAAAAAAAA', topic.ref, { nickname: 'Newsletter March' });
      seedToken(s.world.db, 'a2', 'BBBBBBBBBBBB', topic.ref, { nickname: 'Website', enabled: false });
      seedToken(s.world.db, 'a3', 'CCCCCCCCCCCC', article.ref, { nickname: 'Fair', maxUses: 1, uses: 1 });
      seedToken(s.world.db, 'a4', 'DDDDDDDDDDDD', article.ref, { nickname: null, expiresAt: NOW });
      return s;
    }

    it('lists every token newest first, each with its item and status', async () => {
      const { service } = seeded();
      const r = await service.search(superAdmin, {});
      expect(r.ok && r.value.tokens.map((t) => [t.id, t.status, t.itemInfo?.title])).to.deep.equal([
        ['a4', 'expired', 'Ladder safety'],
        ['a3', 'used_up', 'Ladder safety'],
        ['a2', 'disabled', 'Fire safety'],
        ['a1', 'active', 'Fire safety'],
      ]);
      expect(r.ok && r.value.total).to.equal(4);
    });

    it('filters by status and item type, and searches nickname, whole code (any spelling) and item title', async () => {
      const { service, world } = seeded();
      const ids = async (input: Parameters<TokensService['search']>[1]) => {
        const r = await service.search(superAdmin, input);
        return r.ok ? r.value.tokens.map((t) => t.id) : r.error.code;
      };
      expect(await ids({ status: 'disabled' })).to.deep.equal(['a2']);
      expect(await ids({ status: 'active' })).to.deep.equal(['a1']);
      expect(await ids({ itemType: 'article' })).to.deep.equal(['a4', 'a3']);
      expect(await ids({ q: 'news' })).to.deep.equal(['a1']);
      expect(await ids({ q: 'cccc-cccc-cccc' })).to.deep.equal(['a3']);
      expect(await ids({ q: 'ladder' })).to.deep.equal(['a4', 'a3']);
      expect(await ids({ item: topic.ref })).to.deep.equal(['a2', 'a1']);
      const text = world.tokens.searches.find((q) => q.text?.nickname === 'cccc-cccc-cccc')!.text!;
      expect(text.normalisedCode).to.equal('CCCCCCCCCCCC');
    });

    it('pages with a cursor and caps the page size at 100', async () => {
      const { service, world } = seeded();
      const first = await service.search(superAdmin, { limit: 3 });
      expect(first.ok && first.value.tokens.map((t) => t.id)).to.deep.equal(['a4', 'a3', 'a2']);
      expect(first.ok && first.value.nextBeforeId).to.equal('a2');
      const second = await service.search(superAdmin, { limit: 3, beforeId: 'a2' });
      expect(second.ok && second.value.tokens.map((t) => t.id)).to.deep.equal(['a1']);
      expect(second.ok && second.value.nextBeforeId).to.equal(null);
      await service.search(superAdmin, { limit: 5000 });
      expect(world.tokens.searches.at(-1)!.limit).to.equal(100);
    });
  });

  describe('activity and registrations', () => {
    it('lists audit entries newest first, for an item or the whole portal, with a cursor', async () => {
      const { world, service } = setup();
      await service.create(superAdmin, topic.ref, { nickname: 'One' });
      await service.create(superAdmin, article.ref, { nickname: 'Two' });
      await service.create(superAdmin, topic.ref, { nickname: 'Three' });
      const forTopic = await service.activity(superAdmin, { item: topic.ref });
      expect(forTopic.ok && forTopic.value.entries.map((e) => e.tokenNickname)).to.deep.equal(['Three', 'One']);
      const page = await service.activity(superAdmin, { limit: 2 });
      expect(page.ok && page.value.entries.map((e) => e.tokenNickname)).to.deep.equal(['Three', 'Two']);
      const rest = await service.activity(superAdmin, { limit: 2, beforeId: page.ok ? page.value.nextBeforeId! : '' });
      expect(rest.ok && rest.value.entries.map((e) => e.tokenNickname)).to.deep.equal(['One']);
      expect(world.audit.entries).to.have.length(3);
    });

    it('lists the people registered with a token, as the host knows them now', async () => {
      const { world, service } = setup();
      seedToken(world.db, 't1', 'AAAAAAAAAAAA', topic.ref, { nickname: 'Fair' });
      const ada = user('u-9', { firstName: 'Ada', lastName: 'Lovelace', type: 'prospect' });
      world.db.state.users.push(ada);
      world.db.state.registrations.push(
        { tokenId: 't1', tokenNickname: 'Fair', item: topic.ref, userId: 'u-9', newUser: true, at: NOW },
        { tokenId: 't1', tokenNickname: 'Fair', item: topic.ref, userId: 'gone', newUser: false, at: NOW },
      );
      const r = await service.registrations(superAdmin, 't1');
      expect(r.ok && r.value.total).to.equal(2);
      expect(r.ok && r.value.registrations.map((x) => x.user?.email ?? null)).to.deep.equal([null, 'u-9@example.com']);
      expect(await service.registrations(superAdmin, 'nope')).to.deep.equal({ ok: false, error: { code: 'TOKEN.NOT_FOUND' } });
    });

    it('names the creator from the snapshot, else as the host knows them now', async () => {
      const { world, service } = setup();
      seedToken(world.db, 't1', 'AAAAAAAAAAAA', topic.ref, { createdBy: 'admin-2' });
      seedToken(world.db, 't2', 'BBBBBBBBBBBB', topic.ref, { createdBy: 'admin-2', createdByName: 'Erin at the time' });
      seedToken(world.db, 't3', 'CCCCCCCCCCCC', topic.ref, { createdBy: 'deleted-user' });
      const r = await service.listForItem(superAdmin, topic.ref);
      expect(r.ok && r.value.tokens.map((t) => t.createdByName)).to.deep.equal([null, 'Erin at the time', 'Erin Editor']);
    });
  });
});

describe('application/PortalSwitchService', () => {
  it('only Super admins flip the switch; each real change is audited', async () => {
    const world = makeWorld();
    const service = new PortalSwitchService(world.settings, world.audit, world.clock);
    expect(await service.setEnabled(standardAdmin, false)).to.deep.equal({ ok: false, error: { code: 'PERMISSION.DENIED' } });
    expect(await service.setEnabled(null, false)).to.deep.equal({ ok: false, error: { code: 'PERMISSION.DENIED' } });
    expect(world.db.state.portalEnabled).to.equal(true);
    expect(await service.setEnabled(superAdmin, false)).to.deep.equal({ ok: true, value: { enabled: false, changed: true } });
    expect(await service.setEnabled(superAdmin, false)).to.deep.equal({ ok: true, value: { enabled: false, changed: false } });
    expect(world.db.state.portalEnabled).to.equal(false);
    expect(world.audit.entries.map((e) => [e.action, e.actor.name])).to.deep.equal([['portal.disabled', 'Alex Admin']]);
  });

  it('every admin sees the state; only Super admins may change it; learners see nothing', async () => {
    const world = makeWorld();
    const service = new PortalSwitchService(world.settings, world.audit, world.clock);
    expect(await service.status(standardAdmin)).to.deep.equal({ ok: true, value: { enabled: true, canChange: false } });
    expect(await service.status(superAdmin)).to.deep.equal({ ok: true, value: { enabled: true, canChange: true } });
    expect(await service.status(learner)).to.deep.equal({ ok: false, error: { code: 'PERMISSION.DENIED' } });
  });
});
