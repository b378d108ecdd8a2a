/*
 * `npm run sandbox:passwords`: sets new passwords for the demo accounts and prints them. With the
 * embedded database, stop the sandbox first (PGlite allows one process at a time).
 */
import { loadSandboxConfig } from './config.js';
import { createKnex, migrateSandbox } from './db.js';
import { resetDemoPasswords } from './demo-passwords.js';

const loaded = loadSandboxConfig(process.env);
if (!loaded.ok) {
  console.error('The sandbox configuration has problems:');
  for (const error of loaded.errors) console.error(`  - ${error}`);
  process.exit(1);
}
const config = loaded.config;
const knex = createKnex({ ...(config.databaseUrl !== undefined && { databaseUrl: config.databaseUrl }), dataDir: config.dataDir });
try {
  await migrateSandbox(knex);
  const accounts = await resetDemoPasswords(knex, config);
  if (accounts.length === 0) console.log('No demo accounts yet: run `npm start` once to create them.');
  else {
    console.log('New passwords for the demo accounts:');
    for (const a of accounts) console.log(`  ${a.label.padEnd(15)} ${a.email}  ${a.password ?? '(password from ADMIN_PASSWORD)'}`);
  }
} catch (error) {
  console.error(`Could not set new passwords: ${error instanceof Error ? error.message : String(error)}${config.databaseUrl ? '' : ' (is the sandbox still running? Stop it first.)'}`);
  process.exitCode = 1;
} finally {
  await knex.destroy();
}
