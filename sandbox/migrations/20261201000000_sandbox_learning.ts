/*
 * Learning in the sandbox: an item's lessons and quiz, what each learner did with them (lessons
 * done, quiz answers), one learning record per learner and item (started, percent, completed,
 * outcome, score), and every sign-in.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('sandbox_lessons', (t) => {
    t.increments('id');
    t.integer('item_id').notNullable().references('id').inTable('sandbox_items').onDelete('CASCADE');
    t.integer('position').notNullable();
    t.text('title').notNullable();
    t.text('body').notNullable().defaultTo('');
    t.unique(['item_id', 'position'], { indexName: 'sandbox_lessons_item_position_unique' });
  });

  await knex.schema.createTable('sandbox_quizzes', (t) => {
    t.integer('item_id').primary().references('id').inTable('sandbox_items').onDelete('CASCADE');
    /** The score (0–100) at or above which a learner passes. */
    t.integer('pass_mark').notNullable();
    t.check('pass_mark between 1 and 100', [], 'sandbox_quizzes_pass_mark_check');
  });

  await knex.schema.createTable('sandbox_quiz_questions', (t) => {
    t.increments('id');
    t.integer('item_id').notNullable().references('item_id').inTable('sandbox_quizzes').onDelete('CASCADE');
    t.integer('position').notNullable();
    t.text('prompt').notNullable();
    /** The choices, a JSON array of strings. */
    t.jsonb('options').notNullable();
    /** Index of the right choice in `options`. */
    t.integer('correct').notNullable();
    t.unique(['item_id', 'position'], { indexName: 'sandbox_quiz_questions_item_position_unique' });
  });

  await knex.schema.createTable('sandbox_lesson_progress', (t) => {
    t.integer('user_id').notNullable().references('id').inTable('sandbox_users').onDelete('CASCADE');
    t.integer('lesson_id').notNullable().references('id').inTable('sandbox_lessons').onDelete('CASCADE');
    t.timestamp('done_at', { useTz: true }).notNullable();
    t.primary(['user_id', 'lesson_id']);
  });

  await knex.schema.createTable('sandbox_quiz_answers', (t) => {
    t.integer('user_id').notNullable().references('id').inTable('sandbox_users').onDelete('CASCADE');
    t.integer('question_id').notNullable().references('id').inTable('sandbox_quiz_questions').onDelete('CASCADE');
    t.integer('choice').notNullable();
    t.boolean('correct').notNullable();
    t.timestamp('answered_at', { useTz: true }).notNullable();
    t.primary(['user_id', 'question_id']);
    t.index(['question_id'], 'sandbox_quiz_answers_question_index');
  });

  await knex.schema.createTable('sandbox_learning', (t) => {
    t.integer('user_id').notNullable().references('id').inTable('sandbox_users').onDelete('CASCADE');
    t.text('item_type').notNullable();
    t.text('item_id').notNullable();
    t.timestamp('started_at', { useTz: true }).notNullable();
    t.integer('percent').notNullable().defaultTo(0);
    t.timestamp('completed_at', { useTz: true }).nullable();
    t.text('outcome').nullable();
    t.integer('score').nullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.primary(['user_id', 'item_type', 'item_id']);
    t.index(['item_type', 'item_id'], 'sandbox_learning_item_index');
    t.check('percent between 0 and 100', [], 'sandbox_learning_percent_check');
    t.check(`outcome is null or outcome in ('passed', 'failed', 'completed')`, [], 'sandbox_learning_outcome_check');
  });

  await knex.schema.createTable('sandbox_sign_ins', (t) => {
    t.increments('id');
    t.integer('user_id').notNullable().references('id').inTable('sandbox_users').onDelete('CASCADE');
    /** `password` (the sign-in form) or `link` (the plugin's emailed link, through credentials.signIn). */
    t.text('method').notNullable();
    t.timestamp('at', { useTz: true }).notNullable();
    t.index(['user_id', 'at'], 'sandbox_sign_ins_user_at_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['sandbox_sign_ins', 'sandbox_learning', 'sandbox_quiz_answers', 'sandbox_lesson_progress', 'sandbox_quiz_questions', 'sandbox_quizzes', 'sandbox_lessons']) {
    await knex.schema.dropTableIfExists(table);
  }
}
