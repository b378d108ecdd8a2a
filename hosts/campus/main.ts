/*
 * Serves Campus with the plugin loaded, as a production host would:
 *   node --import tsx hosts/campus/main.ts        (PGlite in memory; DATABASE_URL=postgres://… for PostgreSQL)
 * PORT (default 3100) and SELFREG_SECRET (≥ 32 characters; a random one otherwise) are read from the
 * environment. A manager account and a topic are created at start and printed.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import knexFactory, { type Knex } from 'knex';
import ClientPgLite from 'knex-pglite';
import { register } from '../../src/plugin.js';
import { createCampus } from './index.js';
import { hashSecret } from './data-ports.js';

const port = Number(process.env.PORT ?? 3100);
const base = process.env.PUBLIC_BASE_URL ?? `http://localhost:${port}`;
const knex: Knex = process.env.DATABASE_URL
  ? knexFactory({ client: 'pg', connection: process.env.DATABASE_URL })
  : knexFactory({ client: ClientPgLite, dialect: 'postgres', connection: {} } as Knex.Config);

const log = (level: string) => (message: string, context?: Record<string, unknown>) => console.log(`[${level}] ${message}${context ? ` ${JSON.stringify(context)}` : ''}`);
const campus = await createCampus({ knex, publicBaseUrl: base, logger: { info: log('info'), warn: log('warn'), error: log('error') } });
const plugin = register(campus.host, { secret: process.env.SELFREG_SECRET ?? randomBytes(32).toString('hex') });
await plugin.start();

const email = 'manager@campus.example';
const password = randomBytes(9).toString('base64url');
if (!(await campus.host.users.findByEmail(email))) {
  await knex('campus_people').insert({ id: randomUUID(), email, given_name: 'Morgan', family_name: 'Manager', audience: 'staff', admin_level: 'super_admin', suspended: false, password: await hashSecret(password), joined_at: new Date() });
  const topic = randomUUID();
  await knex('campus_courses').insert({ id: topic, kind: 'topic', name: 'Getting started', imported: false });
  console.log(`Sign in at ${base}/account/login as ${email} / ${password}; the topic's settings: ${base}/manage/courses/${topic}`);
}
const server = http.createServer(campus.app).listen(port, () => console.log(`Campus on ${base}`));
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close();
    void plugin.stop().then(() => campus.close()).then(() => knex.destroy());
  });
}
