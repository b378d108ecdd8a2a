import type { Knex } from 'knex';

/*
 * Foundation schema. Every table carries the plugin's prefix; the plugin keeps its own migrations
 * table (selfreg_migrations) so it never touches the host's migration history.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('selfreg_tokens', (t) => {
    t.bigIncrements('id').primary();
    t.string('item_type', 16).notNullable();
    t.string('item_id', 64).notNullable();
    t.string('nickname', 100).nullable();
    // HMAC-SHA256 (plugin secret) of the normalised code: lookup without storing the code.
    t.string('code_digest', 64).notNullable().unique();
    // AES-256-GCM ciphertext of the display code, for admins only.
    t.text('code_ciphertext').notNullable();
    t.boolean('custom').notNullable().defaultTo(false);
    t.boolean('enabled').notNullable().defaultTo(true);
    t.timestamp('expires_at', { useTz: true }).nullable();
    t.integer('max_uses').nullable();
    t.integer('uses').notNullable().defaultTo(0);
    t.string('created_by', 64).nullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('last_used_at', { useTz: true }).nullable();
    t.index(['item_type', 'item_id']);
  });
  await knex.raw('alter table selfreg_tokens add constraint selfreg_tokens_uses_ck check (uses >= 0 and (max_uses is null or max_uses >= 1))');

  await knex.schema.createTable('selfreg_registrations', (t) => {
    t.bigIncrements('id').primary();
    // Deleting a token keeps its registrations, with only the nickname snapshot.
    t.bigInteger('token_id').nullable().references('id').inTable('selfreg_tokens').onDelete('SET NULL');
    t.string('token_nickname', 100).nullable();
    t.string('item_type', 16).notNullable();
    t.string('item_id', 64).notNullable();
    t.string('user_id', 64).notNullable();
    t.boolean('new_user').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['token_id']);
    t.index(['item_type', 'item_id']);
  });

  await knex.schema.createTable('selfreg_email_links', (t) => {
    t.bigIncrements('id').primary();
    t.string('user_id', 64).notNullable();
    t.string('purpose', 16).notNullable();
    t.string('item_type', 16).nullable();
    t.string('item_id', 64).nullable();
    t.bigInteger('token_id').nullable().references('id').inTable('selfreg_tokens').onDelete('SET NULL');
    // SHA-256 of the emailed secret; the secret itself is never stored.
    t.string('secret_digest', 64).notNullable().unique();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('used_at', { useTz: true }).nullable();
    t.timestamp('revoked_at', { useTz: true }).nullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['user_id', 'purpose']);
  });

  await knex.schema.createTable('selfreg_outbox', (t) => {
    t.bigIncrements('id').primary();
    t.string('message_id', 200).notNullable().unique();
    t.string('recipient', 254).notNullable();
    t.string('template', 40).notNullable();
    t.jsonb('data').notNullable();
    t.string('status', 12).notNullable().defaultTo('queued'); // queued | sending | sent | failed
    t.integer('attempts').notNullable().defaultTo(0);
    t.timestamp('next_attempt_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('locked_until', { useTz: true }).nullable();
    t.text('last_error').nullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('sent_at', { useTz: true }).nullable();
  });
  await knex.raw("create index selfreg_outbox_due_idx on selfreg_outbox (next_attempt_at) where status in ('queued', 'sending')");

  await knex.schema.createTable('selfreg_settings', (t) => {
    t.string('key', 64).primary();
    t.jsonb('value').notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('selfreg_settings');
  await knex.schema.dropTableIfExists('selfreg_outbox');
  await knex.schema.dropTableIfExists('selfreg_email_links');
  await knex.schema.dropTableIfExists('selfreg_registrations');
  await knex.schema.dropTableIfExists('selfreg_tokens');
}
