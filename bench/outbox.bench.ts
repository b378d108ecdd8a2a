/*
 * The outbox against its baseline, in the same run, to the same local SMTP server:
 * - bare: 5,000 messages handed straight to a pooled nodemailer transport (pre-rendered, no database);
 * - outbox: 5,000 messages queued in PostgreSQL, drained by the worker (claim with SKIP LOCKED,
 *   render both parts from EJS, send in parallel over the same kind of pool, mark sent in bulk).
 * The server runs in a child process, as a real one would. After a warm-up, four pairs of runs are
 * measured back to back in alternating order, and the median of the pairs' ratios is reported (robust
 * to a machine busy with other work). Delivery is checked at the server: the outbox's 5,000
 * Message-IDs each arrive exactly once.
 */
import { randomBytes } from 'node:crypto';
import nodemailer from 'nodemailer';
import { createKnex } from '../sandbox/db.js';
import { migrate } from '../src/plugin.js';
import { readManifest } from '../src/manifest/manifest.js';
import { PLUGIN_ROOT } from '../src/adapters/views.js';
import { KnexOutbox } from '../src/adapters/mail/outbox.store.js';
import { MailRenderer } from '../src/adapters/mail/mail-renderer.js';
import { message, smtpSender } from '../src/adapters/mail/mail-sender.js';
import { OutboxWorker } from '../src/adapters/mail/outbox.worker.js';
import { DEFAULT_BRANDING } from '../src/domain/branding/branding-settings.js';
import { type OutgoingMail } from '../src/domain/mail/outgoing-mail.js';
import type { PortalInfo } from '../src/domain/shared/portal-info.js';
import type { Bench } from './support.js';
import { childSink, withDatabase } from './child-sink.js';

const N = 5000;
const CONNECTIONS = 5;
/** Pairs of runs (bare, outbox), back to back in alternating order. */
const ROUNDS = 4;
const PORTAL: PortalInfo = { name: 'Acme Academy', primaryAdminEmail: 'admin@acme.test', publicBaseUrl: 'https://learn.acme.test', timeZone: 'Europe/London' };
const FROM = 'training@acme.test';
const quiet = { info() {}, warn() {}, error(m: string, c?: Record<string, unknown>) { console.error(m, c); } };

const invitation = (i: number): OutgoingMail => ({
  to: `person${i}@example.com`,
  template: 'invitation',
  data: { firstName: `Person ${i}`, itemTitle: 'Fire safety', itemType: 'topic', link: `https://learn.acme.test/self-registration/invitation/${randomBytes(32).toString('base64url')}` },
});

export const outboxBench: Bench = {
  name: `Outbox: drain ${N.toLocaleString('en')} queued messages vs a bare pooled nodemailer transport`,
  async run(ctx) {
    return withDatabase(ctx.databaseUrl, 'selfreg_bench_outbox', async (databaseUrl) => {
      const knex = createKnex({ databaseUrl });
      const smtp = await childSink('smtp-sink.ts');
      const smtpUrl = `smtp://127.0.0.1:${smtp.port}`;
      try {
        await migrate(knex, readManifest(PLUGIN_ROOT));
        const outbox = new KnexOutbox(knex, { secret: 'x'.repeat(32), mailFrom: FROM });
        const renderer = new MailRenderer();
        const rendered = await renderer.render('invitation', invitation(0).data, PORTAL, DEFAULT_BRANDING);

        const bare = async (count: number): Promise<number> => {
          const transport = nodemailer.createTransport({ url: smtpUrl, pool: true, maxConnections: CONNECTIONS, maxMessages: 500 } as Parameters<typeof nodemailer.createTransport>[0]);
          const started = process.hrtime.bigint();
          await Promise.all(Array.from({ length: count }, (_, i) =>
            transport.sendMail(message({ from: FROM, to: `person${i}@example.com`, messageId: `<bare-${i}-${randomBytes(6).toString('hex')}@acme.test>`, portalName: PORTAL.name }, rendered))));
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          transport.close();
          return count / seconds;
        };

        const drain = async (count: number): Promise<{ rate: number; messageIds: string[] }> => {
          await knex.raw('truncate selfreg_outbox restart identity');
          await outbox.enqueueMany(Array.from({ length: count }, (_, i) => invitation(i)));
          const messageIds = (await knex('selfreg_outbox').select('message_id')).map((r: { message_id: string }) => r.message_id);
          const worker = new OutboxWorker(outbox, renderer, () => smtpSender(smtpUrl, { maxConnections: CONNECTIONS }), { info: async () => PORTAL }, quiet,
            { from: FROM, pollMs: 60_000 }, { branding: async () => DEFAULT_BRANDING });
          const started = process.hrtime.bigint();
          const handled = await worker.drain();
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          await worker.stop();
          if (handled !== count) throw new Error(`the worker handled ${handled} of ${count} messages`);
          return { rate: count / seconds, messageIds };
        };

        // Warm-up: JIT, template cache, connections, the database's caches.
        await bare(300);
        await drain(300);

        const bareRates: number[] = [];
        const outboxRates: number[] = [];
        let exactlyOnce = true;
        const outboxRound = async (): Promise<void> => {
          const before = (await smtp.stats()).total;
          const { rate, messageIds } = await drain(N);
          outboxRates.push(rate);
          const sent = Number((await knex('selfreg_outbox').where({ status: 'sent' }).count({ n: '*' }))[0]!.n);
          const after = await smtp.stats();
          exactlyOnce &&= sent === N && after.total - before === N && messageIds.every((id) => after.ids.get(id) === 1);
        };
        // Pairs measured back to back, in alternating order, so both sides of a pair see the same
        // machine load; the median of the pairs' ratios is the figure.
        for (let round = 0; round < ROUNDS; round++) {
          if (round % 2 === 0) {
            bareRates.push(await bare(N));
            await outboxRound();
          } else {
            await outboxRound();
            bareRates.push(await bare(N));
          }
        }
        const median = (xs: number[]): number => {
          const s = [...xs].sort((a, b) => a - b);
          return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
        };
        const ratios = outboxRates.map((o, i) => o / bareRates[i]!);
        const ratio = median(ratios);
        const bareRate = median(bareRates);
        const outboxRate = median(outboxRates);
        ctx.log(`bare pooled transport: ${bareRates.map((r) => r.toFixed(0)).join(', ')} msg/s → median ${bareRate.toFixed(0)} msg/s (${CONNECTIONS} connections)`);
        ctx.log(`outbox drain:          ${outboxRates.map((r) => r.toFixed(0)).join(', ')} msg/s → median ${outboxRate.toFixed(0)} msg/s`);
        ctx.log(`outbox ÷ bare per pair: ${ratios.map((r) => `${(r * 100).toFixed(0)} %`).join(', ')} → median ${(ratio * 100).toFixed(1)} % (target ≥ 80 %) ${ratio >= 0.8 ? 'OK' : 'MISSED'}`);
        ctx.log(`each of the outbox's messages delivered exactly once: ${exactlyOnce ? 'yes' : 'NO'}`);
        return {
          outbox_msgs_per_s: Math.round(outboxRate),
          bare_msgs_per_s: Math.round(bareRate),
          outbox_vs_bare: Math.round(ratio * 1000) / 1000,
          outbox_exactly_once: exactlyOnce,
        };
      } finally {
        await smtp.close();
        await knex.destroy();
      }
    });
  },
};
