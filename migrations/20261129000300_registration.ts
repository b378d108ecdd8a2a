import type { Knex } from 'knex';

/*
 * Registration page (issue 4): the shared abuse-limit counters and the seat-limit alert's
 * bookkeeping. Both are the plugin's own tables, prefixed selfreg_.
 */
export async function up(knex: Knex): Promise<void> {
  // The shape rate-limiter-flexible's PostgreSQL store expects. `key` is `<kind>:<HMAC of the key>`
  // (no email or IP address is stored); `expire` is the end of the window in epoch milliseconds.
  await knex.schema.createTable('selfreg_rate_limits', (t) => {
    t.string('key', 255).primary();
    t.integer('points').notNullable().defaultTo(0);
    t.bigInteger('expire').nullable();
  });
  await knex.raw('create index selfreg_rate_limits_expire_idx on selfreg_rate_limits (expire)');

  // One row per day (YYYY-MM-DD in the portal's time zone) on which Super admins were told that no
  // seat was left: the primary key makes "at most one alert a day" hold across instances.
  await knex.schema.createTable('selfreg_seat_alerts', (t) => {
    t.string('day', 10).primary();
    t.timestamp('sent_at', { useTz: true }).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('selfreg_seat_alerts');
  await knex.schema.dropTableIfExists('selfreg_rate_limits');
}
