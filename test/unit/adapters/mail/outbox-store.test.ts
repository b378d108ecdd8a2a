/*
 * The outbox store against a real database (PGlite, or PostgreSQL with DATABASE_URL): the due signal
 * its worker listens to, fenced results, status, waking mail after an outage, purging sent mail.
 */
import { expect } from 'chai';
import type { Knex } from 'knex';
import { createTestDatabase, type TestDatabase } from '../../../support/database.js';
import { migrate } from '../../../../src/plugin.js';
import { readManifest } from '../../../../src/manifest/manifest.js';
import { PLUGIN_ROOT } from '../../../../src/adapters/views.js';
import { KnexOutbox } from '../../../../src/adapters/mail/outbox.store.js';
import type { OutgoingMail } from '../../../../src/domain/mail/outgoing-mail.js';
import { until } from '../../../support/mail-support.js';

const onPostgres = !!process.env.DATABASE_URL;
const OPTIONS = { secret: 's'.repeat(40), mailFrom: 'training@acme.test' };

const invitation = (to: string, n = 0): OutgoingMail => ({
  to,
  template: 'invitation',
  data: { firstName: `Ann${n}`, itemTitle: 'Fire safety', itemType: 'topic', link: `https://learn.acme.test/self-registration/invitation/secret-${n}-${'x'.repeat(30)}` },
});

describe(`adapters/mail: outbox store (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, function () {
  this.timeout(60_000);
  let db: TestDatabase;
  let knex: Knex;
  let outbox: KnexOutbox;

  const enqueue = (mails: OutgoingMail[]) => knex.transaction(async (tx) => {
    for (const m of mails) await outbox.enqueue(m, tx);
  });
  const rows = (): Promise<{ id: string; status: string; attempts: number; last_error: string | null }[]> => knex('selfreg_outbox').orderBy('id').select('*');

  before(async () => {
    db = await createTestDatabase();
    knex = db.knex;
    await migrate(knex, readManifest(PLUGIN_ROOT));
    outbox = new KnexOutbox(knex, OPTIONS);
  });
  after(async () => {
    await db?.destroy();
  });
  beforeEach(async () => {
    await knex.raw('truncate selfreg_outbox restart identity');
  });

  it('says mail is due once per committed transaction, never for one rolled back, and after a retry re-queues mail', async () => {
    let due = 0;
    const off = outbox.onDue(() => void due++);
    const settle = () => new Promise((resolve) => setTimeout(resolve, 50));
    try {
      await knex.transaction(async (tx) => {
        await outbox.enqueue(invitation('a@example.com'), tx);
        await outbox.enqueue(invitation('b@example.com'), tx);
        await settle();
        expect(due, 'not before the commit').to.equal(0);
      });
      await until(async () => due === 1, 2000, 'the signal after the commit');
      await knex.transaction(async (tx) => {
        await outbox.enqueue(invitation('c@example.com'), tx);
        throw new Error('rolled back');
      }).catch(() => undefined);
      await knex.transaction(async (tx) => {
        await tx.transaction((inner) => outbox.enqueue(invitation('d@example.com'), inner));
        await settle();
        expect(due, 'a savepoint is not a commit').to.equal(1);
      });
      await until(async () => due === 2, 2000, 'the signal after the outer commit');
      await settle();
      expect(due).to.equal(2);
      const [first] = await outbox.claimDue(1, 60_000);
      await outbox.markFailed(first!.id, '550 gone', { attempts: first!.attempts });
      expect(await outbox.retry(first!.id)).to.equal(true);
      expect(due).to.equal(3);
      expect(await outbox.retryAllFailed()).to.equal(0);
      expect(due, 'nothing re-queued, nothing due').to.equal(3);
    } finally {
      off();
    }
  });

  it('a stale try cannot overwrite a newer one (results are fenced by the try)', async () => {
    await enqueue([invitation('f@example.com')]);
    const [first] = await outbox.claimDue(1, 1);
    await until(async () => (await outbox.claimDue(1, 60_000)).length === 1, 5000, 'the lapsed lease to be reclaimed');
    await outbox.markFailed(first!.id, 'stale worker', { attempts: first!.attempts });
    await outbox.markRetry(first!.id, 'stale worker', 0, { attempts: first!.attempts });
    expect((await rows())[0]).to.include({ status: 'sending', attempts: 2, last_error: null });
  });

  it('reports what waits, the oldest, and the latest retry error', async () => {
    await enqueue([invitation('a@example.com'), invitation('b@example.com')]);
    const [a] = await outbox.claimDue(1, 60_000);
    await outbox.markRetry(a!.id, '451 4.3.2 Try again later', 60_000, { attempts: a!.attempts });
    const status = await outbox.status();
    expect(status).to.include({ queued: 2, retrying: 1, sent: 0, failed: 0, lastRetryError: '451 4.3.2 Try again later' });
    expect(status.oldestQueuedAt).to.be.instanceOf(Date);
  });

  it('wakes mail that waited out an outage, and removes old sent mail', async () => {
    await enqueue([invitation('a@example.com'), invitation('b@example.com')]);
    const claimed = await outbox.claimDue(2, 60_000);
    await outbox.markRetry(claimed[0]!.id, 'ECONNREFUSED', 3_600_000, { attempts: 1, outage: true });
    await outbox.markSentMany([claimed[1]!.id]);
    expect(await outbox.claimDue(5, 60_000)).to.have.length(0);
    expect(await outbox.wakeAfterOutage()).to.equal(1);
    const woken = await outbox.claimDue(5, 60_000);
    expect(woken.map((m) => [m.id, m.attempts, m.outageRetries])).to.deep.equal([[claimed[0]!.id, 1, 1]]);
    expect(await outbox.purgeSent(new Date(Date.now() - 60_000))).to.equal(0);
    expect(await outbox.purgeSent(new Date(Date.now() + 60_000))).to.equal(1);
    expect((await outbox.counts()).sent).to.equal(0);
  });
});
