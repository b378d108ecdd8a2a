/*
 * Webhook delivery from the outbox against its baseline, in the same run, to the same local receiver
 * (a child process):
 * - bare: the same bodies POSTed by a keep-alive node:http client, 10 at a time, no database;
 * - outbox: the same number of deliveries queued in PostgreSQL, drained by the webhooks worker
 *   (claim with SKIP LOCKED, decrypt the secret, sign each try, POST through the SSRF-guarded
 *   client with the same concurrency, record each batch's tries in one statement).
 * After a warm-up, pairs are measured back to back in alternating order (BENCH_PAIRS, default 5);
 * the median of the pairs' ratios and its range are reported (key webhooks_vs_bare). The receiver
 * checks that each queued delivery's webhook-id arrived exactly once.
 */
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { createKnex } from '../sandbox/db.js';
import { migrate } from '../src/plugin.js';
import { readManifest } from '../src/manifest/manifest.js';
import { PLUGIN_ROOT } from '../src/adapters/views.js';
import { WebhookSecretBox, webhookSecrets } from '../src/adapters/crypto/crypto.adapters.js';
import { KnexWebhookOutbox } from '../src/adapters/webhooks/webhook-outbox.store.js';
import { WebhookHttpClient } from '../src/adapters/webhooks/webhook-http-client.js';
import { WebhookWorker } from '../src/adapters/webhooks/webhook.worker.js';
import { registrationMessage } from '../src/domain/webhooks/webhook-events.js';
import type { PluginOptions } from '../src/contract/index.js';
import { CpuMeter, range, round, stats, type Bench } from './support.js';
import type { LoadResult } from './load-generator.js';
import { childSink, withDatabase } from './child-sink.js';

const N = 3000;
const CONCURRENCY = 10;
const PAIRS = Number(process.env.BENCH_PAIRS ?? 5);
const quiet = { info() {}, warn() {}, error(m: string, c?: Record<string, unknown>) { console.error(m, c); } };

const body = (i: number): string => JSON.stringify(registrationMessage('registration.created', {
  itemTitle: 'Fire safety essentials',
  record: {
    tokenId: '17', tokenNickname: 'Spring fair 2027', item: { type: 'topic', id: '42' }, userId: String(1000 + i), newUser: true, at: new Date(),
    registrant: { email: `person${i}@example.com`, firstName: 'Ada', lastName: `Lovelace ${i}`, type: 'prospect' },
    attribution: { utm_source: 'newsletter', utm_medium: 'email', utm_campaign: 'spring-2027' },
  },
}, new Date()));

/** POSTs every body, `CONCURRENCY` at a time, over keep-alive connections; resolves with deliveries per second. */
async function bare(url: string, bodies: readonly string[]): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const post = (b: string) => new Promise<void>((resolve, reject) => {
    const payload = Buffer.from(b);
    const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': String(payload.length), 'webhook-id': `bare_${randomBytes(8).toString('hex')}` } });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 204 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(payload);
  });
  let next = 0;
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < bodies.length) await post(bodies[next++]!);
  }));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const used = process.cpuUsage(cpu);
  bareCpuUs.push((used.user + used.system) / bodies.length);
  agent.destroy();
  return bodies.length / seconds;
}

/** This process's CPU per delivery of each run (µs), bare and outbox. */
const bareCpuUs: number[] = [];
const outboxCpuUs: number[] = [];

export const webhooksBench: Bench = {
  name: `Webhooks: drain ${N.toLocaleString('en')} queued deliveries vs a bare keep-alive HTTP client posting the same bodies`,
  async run(ctx) {
    return withDatabase(ctx.databaseUrl, 'selfreg_bench_webhooks', async (databaseUrl) => {
      const knex = createKnex({ databaseUrl });
      const receiver = await childSink('webhook-sink.ts');
      try {
        await migrate(knex, readManifest(PLUGIN_ROOT));
        const options = { secret: 'bench-secret-bench-secret-bench-secret' } as PluginOptions;
        const box = new WebhookSecretBox(options);
        const url = `http://127.0.0.1:${receiver.port}/hooks`;
        const [endpoint] = await knex('selfreg_webhook_endpoints')
          .insert({ url, events: ['registration.created'], secret: box.encrypt(webhookSecrets.generate()) }).returning('id');
        const endpointId = (endpoint as { id: unknown }).id;
        const outbox = new KnexWebhookOutbox(knex);
        const meter = new CpuMeter(knex, [new URL(databaseUrl).pathname.slice(1)]);
        const pgCpuUs: number[] = [];
        const bodies = Array.from({ length: N }, (_, i) => body(i));

        const drain = async (count: number): Promise<{ rate: number; ids: string[] }> => {
          await knex.raw('truncate selfreg_webhook_deliveries restart identity');
          await knex.raw(
            `insert into selfreg_webhook_deliveries (endpoint_id, message_id, event_type, payload)
             select ?, 'msg_' || replace(gen_random_uuid()::text, '-', ''), 'registration.created', b from unnest(?::text[]) as b`,
            [endpointId as number, bodies.slice(0, count)],
          );
          await knex.raw('vacuum analyze selfreg_webhook_deliveries');
          const ids = (await knex('selfreg_webhook_deliveries').select('message_id')).map((r: { message_id: string }) => r.message_id);
          const worker = new WebhookWorker(outbox, new WebhookHttpClient({ network: 'loopback', maxSockets: CONCURRENCY }), box, quiet, async () => undefined, {
            pollMs: 60_000, concurrency: CONCURRENCY, policy: { baseDelayMs: 30_000, maxDelayMs: 6 * 3_600_000, windowMs: 3 * 86_400_000 },
          });
          const cpu = process.cpuUsage();
          const started = process.hrtime.bigint();
          const handled = await worker.drain();
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          const used = process.cpuUsage(cpu);
          outboxCpuUs.push((used.user + used.system) / count);
          await worker.stop();
          if (handled !== count) throw new Error(`the worker handled ${handled} of ${count} deliveries`);
          return { rate: count / seconds, ids };
        };

        // Warm-up, a whole run of each: JIT, connections, the database's caches (a cold first run
        // would flatter or sink the first pair).
        await bare(url, bodies);
        await drain(N);

        const bareRates: number[] = [];
        const outboxRates: number[] = [];
        let exactlyOnce = true;
        const outboxRound = async (): Promise<void> => {
          const before = await receiver.stats();
          let drained: { rate: number; ids: string[] } = { rate: 0, ids: [] };
          const measured = await meter.measure(async () => {
            drained = await drain(N);
            return { requests: N } as LoadResult;
          });
          const { rate, ids } = drained;
          pgCpuUs.push(measured.pgCpuMs * 1000);
          outboxRates.push(rate);
          const delivered = Number((await knex('selfreg_webhook_deliveries').where({ status: 'delivered' }).count({ n: '*' }))[0]!.n);
          const after = await receiver.stats();
          exactlyOnce &&= delivered === N && after.total - before.total === N && ids.every((id) => after.ids.get(id) === 1);
        };
        for (let pair = 0; pair < PAIRS; pair++) {
          if (pair % 2 === 0) {
            bareRates.push(await bare(url, bodies));
            await outboxRound();
          } else {
            await outboxRound();
            bareRates.push(await bare(url, bodies));
          }
        }
        const ratios = stats(outboxRates.map((o, i) => o / bareRates[i]!));
        const bareStats = stats(bareRates);
        const outboxStats = stats(outboxRates);
        ctx.log(`bare keep-alive client: ${bareRates.map((r) => r.toFixed(0)).join(', ')} deliveries/s → median ${bareStats.median.toFixed(0)} (${CONCURRENCY} at a time)`);
        ctx.log(`webhook outbox drain:   ${outboxRates.map((r) => r.toFixed(0)).join(', ')} deliveries/s → median ${outboxStats.median.toFixed(0)}`);
        ctx.log(`outbox ÷ bare per pair: ${range(ratios, 3)} (target ≥ 0.80) ${ratios.median >= 0.8 ? 'OK' : 'MISSED'}`);
        ctx.log(`this process's CPU per delivery: bare ${range(stats(bareCpuUs.slice(1)), 1)} µs, outbox ${range(stats(outboxCpuUs.slice(1)), 1)} µs (PostgreSQL's own work not included); PostgreSQL's backends per delivery of the outbox (insert of the run's rows included): ${range(stats(pgCpuUs), 1)} µs`);
        ctx.log(`each queued delivery's webhook-id arrived exactly once: ${exactlyOnce ? 'yes' : 'NO'}`);
        return {
          webhooks_per_s: Math.round(outboxStats.median),
          webhooks_bare_per_s: Math.round(bareStats.median),
          webhooks_vs_bare: round(ratios.median, 3),
          webhooks_vs_bare_min: round(ratios.min, 3),
          webhooks_vs_bare_max: round(ratios.max, 3),
          webhooks_exactly_once: exactlyOnce,
        };
      } finally {
        await receiver.close();
        await knex.destroy();
      }
    });
  },
};
