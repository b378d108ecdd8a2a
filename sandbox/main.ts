/*
 * `npm start`: configure, migrate, seed, load the plugin, listen. Ctrl-C shuts down cleanly.
 * What happens is logged through pino (JSON lines with NODE_ENV=production, readable otherwise);
 * the welcome banner with the address and the demo accounts is printed for the person who started it.
 */
import type { Server } from 'node:http';
import { createSandbox } from './app.js';
import { loadSandboxConfig } from './config.js';
import { createKnex, migrateSandbox } from './db.js';
import { createLogger } from './host/logger.port.js';
import { PluginConfigurationError } from './plugin-options.js';
import { seedDemo } from './seed.js';

const loaded = loadSandboxConfig(process.env);
if (!loaded.ok) {
  console.error('The sandbox cannot start, its configuration has problems:');
  for (const error of loaded.errors) console.error(`  - ${error}`);
  process.exit(1);
}
const config = loaded.config;
const logger = createLogger({ format: config.production ? 'json' : 'pretty' });
const log = logger.pino;

const knex = createKnex({ ...(config.databaseUrl !== undefined && { databaseUrl: config.databaseUrl }), dataDir: config.dataDir });
let server: Server | undefined;
let sandbox: Awaited<ReturnType<typeof createSandbox>> | undefined;
let stopping = false;

async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, `${signal} received, shutting down…`);
  const force = setTimeout(() => {
    log.error('Shutdown took too long, exiting.');
    process.exit(1);
  }, 10_000);
  force.unref();
  try {
    if (server) {
      const s = server;
      await new Promise<void>((resolve) => {
        s.close(() => resolve());
        s.closeIdleConnections();
      });
    }
    await sandbox?.close();
    await knex.destroy();
    process.exit(0);
  } catch (error) {
    log.error({ error }, 'Shutdown failed');
    process.exit(1);
  }
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

try {
  log.info(config.databaseUrl ? 'Database: PostgreSQL (DATABASE_URL)' : `Database: embedded PGlite in ${config.dataDir}/pglite`);
  if (config.secretSource === 'generated') log.info(`Generated SELFREG_SECRET and saved it to ${config.dataDir}/secret`);
  await migrateSandbox(knex);
  const seeded = await seedDemo(knex, config);
  sandbox = await createSandbox({ knex, config, logger });
  await sandbox.loadPlugin();

  server = sandbox.app.listen(config.port);
  await new Promise<void>((resolve, reject) => {
    server!.once('listening', resolve);
    server!.once('error', reject);
  });

  const base = config.publicBaseUrl;
  log.info({ url: `${base}/`, port: config.port }, 'Sandbox listening');
  console.log('');
  console.log(`${config.portalName} sandbox is running: ${base}/`);
  console.log(`  Listening on port ${config.port}`);
  console.log(`  Mailbox:  ${base}/mailbox${config.smtpUrl ? ' (unused: SMTP_URL is set)' : ''}`);
  if (seeded.created) {
    console.log('  Demo accounts (shown once, on this first start):');
    for (const account of seeded.accounts ?? []) {
      console.log(`    ${account.label.padEnd(15)} ${account.email}  ${account.password ?? '(password from ADMIN_PASSWORD)'}`);
    }
  } else {
    console.log(`  Admin: ${seeded.adminEmail} (the password was printed on the first start, or comes from ADMIN_PASSWORD)`);
    console.log('  Lost the demo passwords? Stop the sandbox and run `npm run sandbox:passwords` to set new ones.');
  }
  console.log('  Press Ctrl-C to stop.');
} catch (error) {
  if (error instanceof PluginConfigurationError) log.error(`The sandbox cannot start, the plugin refused its configuration:\n${error.message}`);
  else log.error({ error }, 'The sandbox failed to start');
  try {
    await sandbox?.close();
    await knex.destroy();
  } finally {
    process.exit(1);
  }
}
