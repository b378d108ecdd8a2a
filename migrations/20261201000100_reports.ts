import type { Knex } from 'knex';

/*
 * Reports. A registration keeps the campaign (utm_*) it came through, first touch, and a snapshot of
 * the registrant as the host knew them (kept true by the user.updated and user.deleted hooks), so
 * that every report is one query on the plugin's own tables, filterable by user type, at any size.
 * The funnel's steps live on the registration row itself (a registration is one person in one item):
 * activated when the invitation is accepted (at once for an existing account), and the first start,
 * progress, first completion and latest outcome heard from the host's 1.1 learning events, for
 * registrants only. Every report and the portal's usage totals are then one table, no join.
 * Deep-link views are counted per token, local day and campaign, never a row per view.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('selfreg_registrations', (t) => {
    for (const key of ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content']) t.string(key, 100).nullable();
    t.string('user_type', 16).nullable();
    t.string('user_email', 254).nullable();
    t.string('user_first_name', 100).nullable();
    t.string('user_last_name', 100).nullable();
    t.timestamp('activated_at', { useTz: true }).nullable();
    t.timestamp('started_at', { useTz: true }).nullable();
    t.integer('progress_percent').nullable();
    t.timestamp('completed_at', { useTz: true }).nullable();
    t.string('outcome', 16).nullable(); // passed | failed | completed: that of the latest completion
    t.integer('score').nullable();
    t.timestamp('outcome_at', { useTz: true }).nullable();
    // Folded into the usage totals yet? Which steps were (1 registered, 2 activated, 4 started, 8 completed).
    t.boolean('rollup_pending').notNullable().defaultTo(true);
    t.smallint('rolled_steps').notNullable().defaultTo(0);
  });
  // Rows older than this migration: an existing account was active when it registered; a new one
  // when its invitation was used.
  await knex.raw('update selfreg_registrations set activated_at = created_at where not new_user');
  await knex.raw(`update selfreg_registrations r set activated_at = l.used_at from (
    select user_id, min(used_at) as used_at from selfreg_email_links where purpose = 'invitation' and used_at is not null group by user_id
  ) l where r.new_user and r.user_id = l.user_id`);
  // One token's, one item's and one person's registrations, newest first, by index alone.
  await knex.raw('create index if not exists selfreg_registrations_token_id_id_idx on selfreg_registrations (token_id, id)');
  await knex.raw('create index if not exists selfreg_registrations_item_id_idx on selfreg_registrations (item_type, item_id, id)');
  // Its prefix does the old (item_type, item_id) index's work: one index fewer to keep up at each registration.
  await knex.raw('drop index if exists selfreg_registrations_item_type_item_id_index');
  await knex.raw('create index if not exists selfreg_registrations_user_idx on selfreg_registrations (user_id, item_type, item_id)');
  await knex.raw('create index if not exists selfreg_registrations_rollup_idx on selfreg_registrations (id) where rollup_pending');
  // The campaign travels with a sign-in link until the enrolment it makes is recorded.
  await knex.schema.alterTable('selfreg_email_links', (t) => {
    t.jsonb('attribution').nullable();
  });

  await knex.schema.createTable('selfreg_link_views', (t) => {
    // No foreign key: a deleted token's views stay in the portal's totals.
    t.bigInteger('token_id').notNullable();
    t.date('day').notNullable();
    // '' when the link was opened without that utm value
    t.string('utm_source', 100).notNullable().defaultTo('');
    t.string('utm_medium', 100).notNullable().defaultTo('');
    t.string('utm_campaign', 100).notNullable().defaultTo('');
    t.integer('views').notNullable().defaultTo(0);
    t.primary(['token_id', 'day', 'utm_source', 'utm_medium', 'utm_campaign']);
  });

  // The portal's usage totals by local day, per campaign and per item: the registrations folded in
  // by the report-counters worker (monotonic: a step once reached stays reached), the views by the
  // view counter. A portal-wide report sums a few thousand rows instead of every registration.
  const counts = (t: Knex.CreateTableBuilder) => {
    for (const c of ['views', 'registrations', 'new_accounts', 'existing_accounts', 'activated', 'started', 'completed']) t.bigInteger(c).notNullable().defaultTo(0);
  };
  await knex.schema.createTable('selfreg_usage_by_campaign', (t) => {
    t.date('day').notNullable();
    t.string('utm_source', 100).notNullable().defaultTo('');
    t.string('utm_medium', 100).notNullable().defaultTo('');
    t.string('utm_campaign', 100).notNullable().defaultTo('');
    counts(t);
    t.primary(['day', 'utm_source', 'utm_medium', 'utm_campaign']);
  });
  await knex.schema.createTable('selfreg_usage_by_item', (t) => {
    t.date('day').notNullable();
    t.string('item_type', 16).notNullable();
    t.string('item_id', 64).notNullable();
    counts(t);
    t.primary(['day', 'item_type', 'item_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('selfreg_usage_by_item');
  await knex.schema.dropTableIfExists('selfreg_usage_by_campaign');
  await knex.schema.dropTableIfExists('selfreg_link_views');
  await knex.schema.alterTable('selfreg_email_links', (t) => t.dropColumn('attribution'));
  await knex.raw('drop index if exists selfreg_registrations_user_idx');
  await knex.raw('create index if not exists selfreg_registrations_item_type_item_id_index on selfreg_registrations (item_type, item_id)');
  await knex.raw('drop index if exists selfreg_registrations_item_id_idx');
  await knex.raw('drop index if exists selfreg_registrations_token_id_id_idx');
  await knex.schema.alterTable('selfreg_registrations', (t) => {
    for (const c of ['rolled_steps', 'rollup_pending', 'outcome_at', 'score', 'outcome', 'completed_at', 'progress_percent', 'started_at', 'activated_at', 'user_last_name', 'user_first_name', 'user_email', 'user_type', 'utm_content', 'utm_term', 'utm_campaign', 'utm_medium', 'utm_source']) t.dropColumn(c);
  });
}
