import type { Knex } from 'knex';

/*
 * Enrolment rules. A rule keeps its conditions and items as JSON (read whole, never queried
 * inside). Manual removals an admin made are kept per person and item, so that no rule enrols that
 * person in that item again. A run applies a rule to existing users in chunks, each chunk
 * committed on its own; its row is what the portal panel polls for progress. No foreign key to
 * selfreg_tokens: a rule may name a token that is later deleted (it then matches nobody new).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('selfreg_enrolment_rules', (t) => {
    t.bigIncrements('id').primary();
    t.string('name', 100).notNullable();
    t.boolean('enabled').notNullable().defaultTo(true);
    t.jsonb('conditions').notNullable();
    t.jsonb('enrol_in').notNullable();
    t.boolean('withdraw_on_unmatch').notNullable().defaultTo(false);
    t.string('created_by', 64).nullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('selfreg_rule_suppressions', (t) => {
    t.string('user_id', 64).notNullable();
    t.string('item_type', 16).notNullable();
    t.string('item_id', 64).notNullable();
    t.timestamp('removed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['user_id', 'item_type', 'item_id']);
  });

  await knex.schema.createTable('selfreg_rule_runs', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('rule_id').notNullable().references('id').inTable('selfreg_enrolment_rules').onDelete('CASCADE');
    t.string('state', 12).notNullable().defaultTo('running'); // running | done | failed
    t.integer('chunks').notNullable().defaultTo(0);
    t.integer('chunks_done').notNullable().defaultTo(0);
    // { "topic:3": 120, … }: enrolments created so far, per item.
    t.jsonb('created').notNullable().defaultTo('{}');
    t.string('started_by', 64).nullable();
    t.string('started_by_name', 200).nullable();
    t.timestamp('started_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('finished_at', { useTz: true }).nullable();
    t.string('error', 500).nullable();
    t.index(['rule_id', 'id']);
  });
  // One run at a time per rule.
  await knex.raw(`create unique index selfreg_rule_runs_one_running on selfreg_rule_runs (rule_id) where state = 'running'`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('selfreg_rule_runs');
  await knex.schema.dropTableIfExists('selfreg_rule_suppressions');
  await knex.schema.dropTableIfExists('selfreg_enrolment_rules');
}
