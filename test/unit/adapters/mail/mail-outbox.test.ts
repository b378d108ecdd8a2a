/*
 * The outbox and its worker against a real database (PGlite, or PostgreSQL with DATABASE_URL) and a
 * real SMTP server on loopback: delivery exactly once, permanent failures parked and retried, a
 * refusing server, a server that goes away and comes back, a worker killed mid-batch, two workers.
 */
import { expect } from 'chai';
import type { Knex } from 'knex';
import { createTestDatabase, type TestDatabase } from '../../../support/database.js';
import knexFactory from 'knex';
import { migrate } from '../../../../src/plugin.js';
import { readManifest } from '../../../../src/manifest/manifest.js';
import { PLUGIN_ROOT } from '../../../../src/adapters/views.js';
import { KnexOutbox } from '../../../../src/adapters/mail/outbox.store.js';
import { MailRenderer } from '../../../../src/adapters/mail/mail-renderer.js';
import { smtpSender, type MailSender } from '../../../../src/adapters/mail/mail-sender.js';
import { OutboxWorker, type OutboxWorkerOptions } from '../../../../src/adapters/mail/outbox.worker.js';
import type { OutgoingMail } from '../../../../src/domain/mail/outgoing-mail.js';
import type { PortalInfo } from '../../../../src/domain/shared/portal-info.js';
import { TestSmtp, until } from '../../../support/mail-support.js';

const onPostgres = !!process.env.DATABASE_URL;
const OPTIONS = { secret: 's'.repeat(40), mailFrom: 'training@acme.test' };
const PORTAL: PortalInfo = { name: 'Acme Academy', primaryAdminEmail: 'admin@acme.test', publicBaseUrl: 'https://learn.acme.test', timeZone: 'Europe/London' };
const quiet = { info() {}, warn() {}, error() {} };

const invitation = (to: string, n = 0): OutgoingMail => ({
  to,
  template: 'invitation',
  data: { firstName: `Ann${n}`, itemTitle: 'Fire safety', itemType: 'topic', link: `https://learn.acme.test/self-registration/invitation/secret-${n}-${'x'.repeat(30)}` },
});

describe(`adapters/mail: outbox and worker (${onPostgres ? 'PostgreSQL' : 'PGlite'}, real SMTP)`, function () {
  this.timeout(120_000);
  let db: TestDatabase;
  let knex: Knex;
  let outbox: KnexOutbox;
  const smtp = new TestSmtp();
  const workers: OutboxWorker[] = [];

  function worker(opts: Partial<OutboxWorkerOptions> = {}, sender?: MailSender, store: KnexOutbox = outbox): OutboxWorker {
    const w = new OutboxWorker(
      store,
      new MailRenderer(),
      sender ?? (() => smtpSender(smtp.url)),
      { info: async () => PORTAL },
      quiet,
      { from: 'training@acme.test', pollMs: 1000, baseDelayMs: 20, maxOutageDelayMs: 50, random: () => 0.5, ...opts },
      { branding: async () => ({ logoUrl: null, primaryColour: '#0b3d2e', accentColour: '#ffcc00', heading: null, introduction: null, termsUrl: null, privacyUrl: null, successMessage: null }) },
    );
    workers.push(w);
    return w;
  }

  const enqueue = (mails: OutgoingMail[]) => knex.transaction(async (tx) => {
    for (const m of mails) await outbox.enqueue(m, tx);
  });
  const rows = (): Promise<{ id: string; recipient: string; status: string; attempts: number; outage_retries: number; last_error: string | null; message_id: string; data: unknown }[]> =>
    knex('selfreg_outbox').orderBy('id').select('*');

  before(async () => {
    db = await createTestDatabase();
    knex = db.knex;
    await migrate(knex, readManifest(PLUGIN_ROOT));
    outbox = new KnexOutbox(knex, OPTIONS);
    await smtp.start();
  });
  after(async () => {
    for (const w of workers) await Promise.race([w.stop(), new Promise((r) => setTimeout(r, 500))]);
    await smtp.stop();
    await db?.destroy();
  });
  beforeEach(async () => {
    await knex.raw('truncate selfreg_outbox restart identity');
    smtp.received.length = 0;
    smtp.refuse = false;
    smtp.rejected.clear();
  });

  it('delivers each message once with its stable Message-ID, marks it sent and keeps no link secret in the database', async () => {
    await enqueue([invitation('a@example.com', 1), invitation('b@example.com', 2), invitation('c@example.com', 3)]);
    const stored = await rows();
    expect(await worker().drain()).to.equal(3);
    expect(smtp.received.map((m) => m.to[0]).sort()).to.deep.equal(['a@example.com', 'b@example.com', 'c@example.com']);
    expect(smtp.received.map((m) => m.messageId).sort()).to.deep.equal(stored.map((r) => r.message_id).sort());
    const after = await rows();
    expect(after.map((r) => r.status)).to.deep.equal(['sent', 'sent', 'sent']);
    expect(JSON.stringify(after)).not.to.contain('secret-1');
    expect(await outbox.counts()).to.deep.equal({ queued: 0, sent: 3, failed: 0 });
  });

  it('a message the server rejects for good (550) is parked at once, visible with its error, and Retry sends it with the same Message-ID', async () => {
    smtp.rejected.add('gone@example.com');
    await enqueue([invitation('gone@example.com', 1), invitation('ok@example.com', 2)]);
    const w = worker();
    await w.drain();
    expect(smtp.received.map((m) => m.to[0])).to.deep.equal(['ok@example.com']);
    const [gone] = await rows();
    expect(gone).to.include({ status: 'failed', attempts: 1 });
    const failures = await outbox.latestFailures(10);
    expect(failures).to.have.length(1);
    expect(failures[0]).to.include({ to: 'gone@example.com', template: 'invitation', attempts: 1 });
    expect(failures[0]!.error).to.contain('550').and.to.contain('No such user');
    expect(failures[0]!.failedAt).to.be.instanceOf(Date);
    expect(await outbox.status()).to.include({ queued: 0, sent: 1, failed: 1, retrying: 0 });

    smtp.rejected.clear();
    expect(await outbox.retry(failures[0]!.id)).to.equal(true);
    expect(await outbox.retry(failures[0]!.id)).to.equal(false);
    expect((await rows())[0]).to.include({ status: 'queued', attempts: 0 });
    await w.drain();
    expect(smtp.received.map((m) => m.to[0])).to.deep.equal(['ok@example.com', 'gone@example.com']);
    expect(smtp.received[1]!.messageId).to.equal(gone!.message_id);
    expect(await outbox.counts()).to.deep.equal({ queued: 0, sent: 2, failed: 0 });
  });

  it('Retry all puts every failed message back in the queue', async () => {
    smtp.rejected.add('x@example.com').add('y@example.com');
    await enqueue([invitation('x@example.com'), invitation('y@example.com')]);
    await worker().drain();
    expect((await outbox.counts()).failed).to.equal(2);
    expect(await outbox.retryAllFailed()).to.equal(2);
    expect(await outbox.counts()).to.deep.equal({ queued: 2, sent: 0, failed: 0 });
  });

  it('a server refusing for now (451): retried with backoff, delivered once when it accepts; parked after the last try', async () => {
    smtp.refuse = true;
    await enqueue([invitation('a@example.com', 1), invitation('b@example.com', 2)]);
    const w = worker({ maxAttempts: 3 });
    await w.drain();
    let state = await rows();
    expect(state.map((r) => [r.status, r.attempts])).to.deep.equal([['queued', 1], ['queued', 1]]);
    expect(state[0]!.last_error).to.contain('451');
    expect((await outbox.status()).retrying).to.equal(2);
    smtp.refuse = false;
    await until(async () => (await w.drain(), (await outbox.counts()).sent === 2), 10_000, 'both sent');
    expect([...smtp.counts().values()]).to.deep.equal([1, 1]);

    // Refused on every try: parked after the third.
    smtp.refuse = true;
    await enqueue([invitation('c@example.com', 3)]);
    await until(async () => (await w.drain(), (await outbox.counts()).failed === 1), 10_000, 'parked');
    state = await rows();
    expect(state[2]).to.include({ status: 'failed', attempts: 3 });
  });

  it('SMTP server down (ECONNREFUSED) then back on the same port: mail waits without using up tries, then each message arrives once', async () => {
    await smtp.stop();
    try {
      await enqueue(Array.from({ length: 10 }, (_, i) => invitation(`p${i}@example.com`, i)));
      const w = worker({ maxAttempts: 2 });
      await w.drain();
      await until(async () => (await w.drain(), (await rows()).every((r) => r.outage_retries >= 3)), 10_000, 'three failed rounds');
      const waiting = await rows();
      expect(waiting.every((r) => r.status === 'queued' && r.attempts === 0)).to.equal(true);
      expect(waiting[0]!.last_error).to.match(/ECONNREFUSED|ESOCKET|ECONNECTION/);
      expect(smtp.received).to.have.length(0);
    } finally {
      await smtp.start();
    }
    const w = worker({ maxAttempts: 2 });
    await until(async () => (await w.drain(), (await outbox.counts()).sent === 10), 10_000, 'all sent');
    expect(smtp.received).to.have.length(10);
    expect([...smtp.counts().values()].every((n) => n === 1)).to.equal(true);
    expect(await outbox.counts()).to.deep.equal({ queued: 0, sent: 10, failed: 0 });
  });

  it('a worker killed mid-batch loses nothing: when its lease lapses another worker delivers every message once', async () => {
    await enqueue(Array.from({ length: 20 }, (_, i) => invitation(`k${i}@example.com`, i)));
    // This worker claims a batch and hangs forever inside send(), as a killed process would.
    const hanging: MailSender = { concurrency: 5, send: () => new Promise<void>(() => {}), close() {} };
    void worker({ leaseMs: 300, batchSize: 20 }, hanging).drain();
    await until(async () => (await rows()).filter((r) => r.status === 'sending').length === 20, 10_000, 'the batch to be claimed');
    const survivor = worker();
    expect(await survivor.drain()).to.equal(0); // still leased
    await until(async () => (await survivor.drain(), (await outbox.counts()).sent === 20), 10_000, 'the survivor to send');
    expect(smtp.received).to.have.length(20);
    expect(smtp.counts().size).to.equal(20);
    expect((await rows()).every((r) => r.attempts === 2)).to.equal(true);
  });

  it(`two workers (${onPostgres ? 'two connection pools' : 'one PGlite connection'}) drain 500 messages: each delivered exactly once`, async () => {
    await outbox.enqueueMany(Array.from({ length: 500 }, (_, i) => invitation(`w${i}@example.com`, i)));
    // A second application instance: its own pool of connections to the same database.
    const second = onPostgres ? knexFactory({ client: 'pg', connection: (knex.client.config as Knex.Config).connection, pool: { min: 0, max: 10 } }) : knex;
    try {
      const a = worker({ batchSize: 25 });
      const b = worker({ batchSize: 25 }, undefined, new KnexOutbox(second, OPTIONS));
      const [na, nb] = await Promise.all([a.drain(), b.drain()]);
      expect(na + nb).to.equal(500);
      if (onPostgres) expect(Math.min(na, nb), 'both workers took a share').to.be.greaterThan(0);
    } finally {
      if (second !== knex) await second.destroy();
    }
    const counts = smtp.counts();
    expect(smtp.received).to.have.length(500);
    expect(counts.size).to.equal(500);
    expect([...counts.values()].every((n) => n === 1)).to.equal(true);
    expect(await outbox.counts()).to.deep.equal({ queued: 0, sent: 500, failed: 0 });
  });

  it('stop() lets the batch in flight finish, claims nothing more, closes the transport, and a later start() sends the rest', async () => {
    await enqueue(Array.from({ length: 60 }, (_, i) => invitation(`s${i}@example.com`, i)));
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const sent: string[] = [];
    let closed = 0;
    const gated: MailSender = {
      concurrency: 5,
      async send(envelope) {
        await gate;
        sent.push(envelope.messageId);
      },
      close: () => void closed++,
    };
    const w = worker({ batchSize: 10, pollMs: 20 }, gated);
    w.start();
    await until(async () => (await rows()).some((r) => r.status === 'sending'), 10_000, 'a batch in flight');
    const stopping = w.stop();
    release();
    await stopping;
    expect(w.active).to.equal(false);
    expect(closed).to.equal(1);
    const after = await rows();
    expect(after.filter((r) => r.status === 'sending')).to.deep.equal([]);
    expect(after.filter((r) => r.status === 'sent').length).to.equal(sent.length);
    // The batches in flight only: at most two on the wire and one claimed behind them.
    expect(sent.length).to.be.within(10, 30);
    expect((await outbox.counts()).queued).to.equal(60 - sent.length);
    w.start();
    await until(async () => (await outbox.counts()).sent === 60, 10_000, 'the rest after a restart');
    await w.stop();
    expect(new Set(sent).size).to.equal(60);
    expect(closed).to.equal(2);
  });

  it('a started worker sends mail as soon as the transaction that queued it commits, without waiting for its poll', async () => {
    const w = worker({ pollMs: 60_000 });
    w.start();
    await new Promise((resolve) => setTimeout(resolve, 200)); // the first, empty, drain
    await enqueue([invitation('now@example.com', 1)]);
    await smtp.waitFor(1, 5000);
    expect(smtp.received.map((m) => m.to[0])).to.deep.equal(['now@example.com']);
    await w.stop();
    // Stopped, it listens no more: the mail waits for the next start.
    await enqueue([invitation('later@example.com', 2)]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(smtp.received).to.have.length(1);
    expect((await outbox.counts()).queued).to.equal(1);
  });
});
