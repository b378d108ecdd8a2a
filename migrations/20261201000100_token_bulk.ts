import type { Knex } from 'knex';

/*
 * Tokens in bulk: batches of single-use codes made at once (their tokens point to the batch, so a
 * batch is disabled or deleted as a whole), and CSV imports planned by a dry run and applied later.
 * A plan is kept server-side: one row per import (the file's digest binds the apply to the file
 * that was checked) and its planned rows in chunks of JSON. Tokens an import created remember the
 * import and the line, so uploading the same file again finds them instead of creating them twice.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('selfreg_token_batches', (t) => {
    t.bigIncrements('id').primary();
    t.string('item_type', 16).notNullable();
    t.string('item_id', 64).notNullable();
    t.string('nickname', 100).nullable();
    t.integer('size').notNullable();
    t.timestamp('expires_at', { useTz: true }).nullable();
    t.integer('max_uses').nullable();
    t.string('created_by', 64).nullable();
    t.string('created_by_name', 200).nullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['item_type', 'item_id']);
  });

  await knex.schema.createTable('selfreg_token_imports', (t) => {
    t.bigIncrements('id').primary();
    // SHA-256 of the file's bytes: the apply runs only the plan of the file that was checked.
    t.string('digest', 64).notNullable();
    t.string('file_name', 200).notNullable();
    t.string('created_by', 64).notNullable();
    t.string('created_by_name', 200).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    // A plan not applied by then is refused and removed.
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.string('state', 12).notNullable().defaultTo('planned'); // planned | applied
    t.timestamp('applied_at', { useTz: true }).nullable();
    t.string('applied_by', 64).nullable();
    t.string('applied_by_name', 200).nullable();
    t.jsonb('columns').notNullable();
    t.jsonb('counts').notNullable();
    t.integer('row_count').notNullable();
    t.index(['digest', 'state']);
    t.index(['expires_at']);
  });

  await knex.schema.createTable('selfreg_token_import_chunks', (t) => {
    t.bigInteger('import_id').notNullable().references('id').inTable('selfreg_token_imports').onDelete('CASCADE');
    t.integer('seq').notNullable();
    // JSON text, written and read whole per chunk: never queried inside, so not parsed as jsonb.
    // The plan of each row, and apart from it the row's original cells (which only pages and the
    // results file read, never the apply).
    t.text('rows').notNullable();
    t.text('cells').notNullable();
    t.primary(['import_id', 'seq']);
  });
  // Written once and read once: compressing it would cost more time than the space it saves.
  await knex.raw('alter table selfreg_token_import_chunks alter column rows set storage external, alter column cells set storage external');

  await knex.schema.alterTable('selfreg_tokens', (t) => {
    // No foreign keys: a batch or an import is history; deleting a batch deletes its tokens itself.
    t.bigInteger('batch_id').nullable();
    t.bigInteger('import_id').nullable();
    t.integer('import_line').nullable();
  });
  await knex.raw('create index selfreg_tokens_batch_idx on selfreg_tokens (batch_id) where batch_id is not null');
  await knex.raw('create index selfreg_tokens_import_idx on selfreg_tokens (import_id, import_line) where import_id is not null');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists selfreg_tokens_import_idx');
  await knex.raw('drop index if exists selfreg_tokens_batch_idx');
  await knex.schema.alterTable('selfreg_tokens', (t) => {
    t.dropColumn('import_line');
    t.dropColumn('import_id');
    t.dropColumn('batch_id');
  });
  await knex.schema.dropTableIfExists('selfreg_token_import_chunks');
  await knex.schema.dropTableIfExists('selfreg_token_imports');
  await knex.schema.dropTableIfExists('selfreg_token_batches');
}
