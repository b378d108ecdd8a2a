/*
 * Campus's own tables: people and courses keyed by UUIDs, memberships, hand-rolled sessions, one
 * subscription row with a seat counter, learning progress, and an event outbox. Nothing is named
 * like the sandbox's; the plugin's selfreg_* tables live beside them.
 */
import type { Knex } from 'knex';
import { migrateCampusV11 } from './newcomer-function.js';

export async function migrateCampus(knex: Knex): Promise<void> {
  if (!(await knex.schema.hasTable('campus_people'))) await migrateCampusV10(knex);
  await migrateCampusV11(knex);
}

async function migrateCampusV10(knex: Knex): Promise<void> {
  await knex.schema.createTable('campus_people', (t) => {
    t.uuid('id').primary();
    t.text('email').notNullable();
    t.text('given_name').notNullable();
    t.text('family_name').notNullable();
    t.text('audience').notNullable(); // staff | client | prospect
    t.text('admin_level').nullable(); // super_admin | standard_admin
    t.boolean('suspended').notNullable().defaultTo(false);
    t.text('password').nullable();
    t.timestamp('joined_at', { useTz: true }).notNullable();
  });
  await knex.raw('create unique index campus_people_email on campus_people (lower(email))');
  await knex.schema.createTable('campus_courses', (t) => {
    t.uuid('id').primary();
    t.text('kind').notNullable(); // topic | article | pathway
    t.text('name').notNullable();
    t.boolean('imported').notNullable().defaultTo(false);
  });
  await knex.schema.createTable('campus_memberships', (t) => {
    t.uuid('person_id').notNullable().references('id').inTable('campus_people').onDelete('CASCADE');
    t.uuid('course_id').notNullable().references('id').inTable('campus_courses').onDelete('CASCADE');
    t.timestamp('since', { useTz: true }).notNullable();
    t.primary(['person_id', 'course_id']);
  });
  await knex.schema.createTable('campus_sessions', (t) => {
    t.uuid('id').primary();
    t.text('token_digest').notNullable().unique();
    t.uuid('person_id').nullable().references('id').inTable('campus_people').onDelete('CASCADE');
    t.timestamp('expires_at', { useTz: true }).notNullable();
  });
  await knex.schema.createTable('campus_subscription', (t) => {
    t.integer('id').primary();
    t.integer('seats_total').nullable();
    t.integer('seats_used').notNullable().defaultTo(0);
  });
  await knex('campus_subscription').insert({ id: 1, seats_total: null, seats_used: 0 });
  await knex.schema.createTable('campus_progress', (t) => {
    t.uuid('person_id').notNullable();
    t.uuid('course_id').notNullable();
    t.integer('percent').notNullable().defaultTo(0);
    t.text('outcome').nullable();
    t.float('score').nullable();
    t.primary(['person_id', 'course_id']);
  });
  await knex.schema.createTable('campus_event_outbox', (t) => {
    t.bigIncrements('id');
    t.text('event').notNullable();
    t.jsonb('payload').notNullable();
  });
}
