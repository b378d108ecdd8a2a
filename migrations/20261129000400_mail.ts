import type { Knex } from 'knex';

/*
 * Mail delivery and admin notifications: failure bookkeeping on the outbox, per-item notification
 * settings, the daily digest's entries and claims, and short-lived drafts of panel forms.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('selfreg_outbox', (t) => {
    // When the message was parked as failed (shown to Super admins, newest first).
    t.timestamp('failed_at', { useTz: true }).nullable();
    // Tries that never reached an SMTP server (it was down): they back off but are not counted
    // towards the last try, so an outage of any length loses nothing.
    t.integer('outage_retries').notNullable().defaultTo(0);
  });
  await knex.raw("create index selfreg_outbox_failed_idx on selfreg_outbox (failed_at desc, id desc) where status = 'failed'");
  // Claims read unsent mail oldest first: (next_attempt_at, id) serves the order without a sort.
  await knex.raw("create index selfreg_outbox_claim_idx on selfreg_outbox (next_attempt_at, id) where status in ('queued', 'sending')");
  await knex.raw('drop index if exists selfreg_outbox_due_idx');

  await knex.schema.createTable('selfreg_notification_settings', (t) => {
    t.string('item_type', 16).notNullable();
    t.string('item_id', 64).notNullable();
    t.boolean('enabled').notNullable().defaultTo(false);
    t.string('mode', 12).notNullable().defaultTo('each'); // each | digest
    t.jsonb('stakeholders').notNullable().defaultTo('[]');
    t.string('updated_by', 64).nullable();
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['item_type', 'item_id']);
  });

  // One row per digest sent: unique per item, local day and part, so it is claimed exactly once.
  await knex.schema.createTable('selfreg_digests', (t) => {
    t.bigIncrements('id').primary();
    t.string('item_type', 16).notNullable();
    t.string('item_id', 64).notNullable();
    t.string('day', 10).notNullable(); // YYYY-MM-DD in the portal's time zone
    t.integer('part').notNullable().defaultTo(1);
    t.integer('entries').notNullable().defaultTo(0);
    t.integer('recipients').nullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['item_type', 'item_id', 'day', 'part']);
  });

  // External enrolments waiting for their item's digest: a snapshot taken in the enrolment's transaction.
  await knex.schema.createTable('selfreg_digest_entries', (t) => {
    t.bigIncrements('id').primary();
    t.string('item_type', 16).notNullable();
    t.string('item_id', 64).notNullable();
    t.string('item_title', 500).notNullable();
    t.string('user_id', 64).notNullable();
    t.string('email', 254).notNullable();
    t.string('first_name', 200).notNullable();
    t.string('last_name', 200).notNullable();
    t.boolean('new_user').notNullable();
    t.bigInteger('token_id').nullable().references('id').inTable('selfreg_tokens').onDelete('SET NULL');
    t.string('token_nickname', 100).nullable();
    t.timestamp('at', { useTz: true }).notNullable();
    t.bigInteger('digest_id').nullable().references('id').inTable('selfreg_digests').onDelete('CASCADE');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['digest_id']);
  });
  await knex.raw('create index selfreg_digest_entries_pending_idx on selfreg_digest_entries (at) where digest_id is null');

  // What an admin typed into a panel form that was refused, re-shown after the redirect (post/redirect/get).
  await knex.schema.createTable('selfreg_form_drafts', (t) => {
    t.string('id', 64).primary();
    t.string('session_digest', 64).notNullable();
    t.string('form', 80).notNullable();
    t.jsonb('payload').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['created_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('selfreg_form_drafts');
  await knex.schema.dropTableIfExists('selfreg_digest_entries');
  await knex.schema.dropTableIfExists('selfreg_digests');
  await knex.schema.dropTableIfExists('selfreg_notification_settings');
  await knex.raw("create index if not exists selfreg_outbox_due_idx on selfreg_outbox (next_attempt_at) where status in ('queued', 'sending')");
  await knex.raw('drop index if exists selfreg_outbox_claim_idx');
  await knex.raw('drop index if exists selfreg_outbox_failed_idx');
  await knex.schema.alterTable('selfreg_outbox', (t) => {
    t.dropColumn('outage_retries');
    t.dropColumn('failed_at');
  });
}
