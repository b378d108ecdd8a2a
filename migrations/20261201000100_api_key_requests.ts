import type { Knex } from 'knex';

/**
 * Each key-creating form carries a one-time request id: the same form posted twice (a reload of the
 * "API key created" page) creates one key, not two.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('selfreg_api_keys', (t) => {
    t.string('request_id', 64).nullable().unique();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('selfreg_api_keys', (t) => {
    t.dropColumn('request_id');
  });
}
