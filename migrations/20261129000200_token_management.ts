import type { Knex } from 'knex';

/*
 * Token management: who created and last changed a token (by name, as a snapshot), the audit log of
 * token events, and API keys for the JSON API.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('selfreg_tokens', (t) => {
    t.string('created_by_name', 200).nullable();
    t.string('updated_by', 64).nullable();
  });

  await knex.schema.createTable('selfreg_audit_log', (t) => {
    t.bigIncrements('id').primary();
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    // token.created | token.renamed | token.expiry_changed | token.max_uses_changed | token.disabled |
    // token.enabled | token.deleted | tokens.imported | portal.enabled | portal.disabled
    t.string('action', 40).notNullable();
    t.string('actor_id', 64).nullable();
    t.string('actor_name', 200).notNullable();
    t.string('via', 16).notNullable(); // panel | api | system
    t.bigInteger('api_key_id').nullable();
    t.string('api_key_name', 100).nullable();
    // No foreign key: the history of a token outlives it. Only a nickname snapshot, never the code.
    t.bigInteger('token_id').nullable();
    t.string('token_nickname', 100).nullable();
    t.string('item_type', 16).nullable();
    t.string('item_id', 64).nullable();
    t.jsonb('details').notNullable().defaultTo('{}');
    t.index(['item_type', 'item_id', 'id']);
    t.index(['token_id', 'id']);
  });

  await knex.schema.createTable('selfreg_api_keys', (t) => {
    t.bigIncrements('id').primary();
    t.string('name', 100).notNullable();
    // SHA-256 of the whole key: the key itself is shown once and never stored.
    t.string('key_digest', 64).notNullable().unique();
    // The first characters (prefix + 6), to tell keys apart in lists.
    t.string('key_hint', 16).notNullable();
    t.string('created_by', 64).notNullable();
    t.string('created_by_name', 200).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('last_used_at', { useTz: true }).nullable();
    t.timestamp('revoked_at', { useTz: true }).nullable();
    t.string('revoked_by', 64).nullable();
    t.string('revoked_by_name', 200).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('selfreg_api_keys');
  await knex.schema.dropTableIfExists('selfreg_audit_log');
  await knex.schema.alterTable('selfreg_tokens', (t) => {
    t.dropColumn('updated_by');
    t.dropColumn('created_by_name');
  });
}
