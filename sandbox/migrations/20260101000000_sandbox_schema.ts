import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('sandbox_users', (t) => {
    t.increments('id');
    t.text('email').notNullable();
    t.text('first_name').notNullable();
    t.text('last_name').notNullable();
    t.text('type').notNullable();
    t.text('role').nullable();
    t.text('status').notNullable().defaultTo('active');
    t.text('password_hash').nullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.check(`type in ('staff', 'client', 'prospect')`, [], 'sandbox_users_type_check');
    t.check(`role is null or role in ('super_admin', 'standard_admin')`, [], 'sandbox_users_role_check');
    t.check(`status in ('active', 'suspended')`, [], 'sandbox_users_status_check');
  });
  await knex.raw('create unique index sandbox_users_email_lower_unique on sandbox_users (lower(email))');

  await knex.schema.createTable('sandbox_items', (t) => {
    t.increments('id');
    t.text('type').notNullable();
    t.text('title').notNullable();
    t.text('body').notNullable().defaultTo('');
    t.text('origin').notNullable().defaultTo('own');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.check(`type in ('topic', 'article', 'pathway')`, [], 'sandbox_items_type_check');
    t.check(`origin in ('own', 'library')`, [], 'sandbox_items_origin_check');
  });

  await knex.schema.createTable('sandbox_pathway_topics', (t) => {
    t.integer('pathway_id').notNullable().references('id').inTable('sandbox_items').onDelete('CASCADE');
    t.integer('topic_id').notNullable().references('id').inTable('sandbox_items').onDelete('CASCADE');
    t.integer('position').notNullable();
    t.primary(['pathway_id', 'topic_id']);
  });

  await knex.schema.createTable('sandbox_enrolments', (t) => {
    t.increments('id');
    t.integer('user_id').notNullable().references('id').inTable('sandbox_users').onDelete('CASCADE');
    t.text('item_type').notNullable();
    t.text('item_id').notNullable();
    t.text('source').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['user_id', 'item_type', 'item_id'], { indexName: 'sandbox_enrolments_user_item_unique' });
    t.index(['item_type', 'item_id'], 'sandbox_enrolments_item_index');
  });

  await knex.schema.createTable('sandbox_sessions', (t) => {
    t.text('sid').primary();
    t.jsonb('sess').notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.index(['expires_at'], 'sandbox_sessions_expires_at_index');
  });

  await knex.schema.createTable('sandbox_portal', (t) => {
    t.integer('id').primary();
    t.text('name').notNullable();
    t.text('primary_admin_email').notNullable();
    t.text('time_zone').notNullable();
    t.integer('seat_limit').nullable();
    t.check('id = 1', [], 'sandbox_portal_single_row');
  });

  await knex.schema.createTable('sandbox_mailbox', (t) => {
    t.increments('id');
    t.text('message_id').notNullable();
    t.text('from').notNullable();
    t.text('to').notNullable();
    t.text('subject').notNullable();
    t.text('raw').notNullable();
    t.text('html').nullable();
    t.text('text').nullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['sandbox_mailbox', 'sandbox_portal', 'sandbox_sessions', 'sandbox_enrolments', 'sandbox_pathway_topics', 'sandbox_items', 'sandbox_users']) {
    await knex.schema.dropTableIfExists(table);
  }
}
