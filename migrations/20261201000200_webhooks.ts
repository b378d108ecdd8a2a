import type { Knex } from 'knex';

/*
 * Signed webhooks: the endpoints Super admins add (the signing secrets encrypted, a rotated-out one
 * kept until its overlap ends) and the delivery outbox, written in the transaction of the change that
 * raises the event and sent after it commits, like mail. A delivery row is also its log entry: the
 * body sent (exactly the bytes signed), tries, the last answer's code and time.
 *
 * Personal data: a delivery's `payload` names the person (name, email) and `user_id` is theirs, so
 * erasure can find and scrub a person's deliveries.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('selfreg_webhook_endpoints', (t) => {
    t.bigIncrements('id').primary();
    t.string('url', 2000).notNullable();
    t.string('description', 200).nullable();
    t.specificType('events', 'text[]').notNullable();
    t.string('status', 12).notNullable().defaultTo('active'); // active | disabled
    t.string('disabled_reason', 500).nullable();
    t.timestamp('disabled_at', { useTz: true }).nullable();
    t.text('secret').notNullable(); // AES-256-GCM of the whsec_ secret
    t.text('previous_secret').nullable();
    t.timestamp('previous_secret_until', { useTz: true }).nullable();
    t.integer('consecutive_failures').notNullable().defaultTo(0);
    t.string('created_by', 64).nullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw('create index selfreg_webhook_endpoints_events_idx on selfreg_webhook_endpoints using gin (events)');

  await knex.schema.createTable('selfreg_webhook_deliveries', (t) => {
    t.bigIncrements('id').primary();
    // No foreign key: a delivery insert must not lock its endpoint's row (deleting an endpoint deletes its deliveries).
    t.bigInteger('endpoint_id').notNullable();
    t.string('message_id', 64).notNullable(); // webhook-id: the same on every try and replay
    t.string('event_type', 64).notNullable();
    // Set for events that must go once per endpoint whatever the host repeats (e.g. a completion).
    t.string('event_key', 200).nullable();
    t.string('user_id', 64).nullable();
    t.text('payload').notNullable();
    t.boolean('test').notNullable().defaultTo(false);
    t.string('status', 12).notNullable().defaultTo('queued'); // queued | sending | delivered | failed
    t.integer('attempts').notNullable().defaultTo(0);
    t.timestamp('next_attempt_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('locked_until', { useTz: true }).nullable();
    t.integer('last_status_code').nullable();
    t.integer('last_duration_ms').nullable();
    t.string('last_error', 500).nullable();
    t.timestamp('last_attempt_at', { useTz: true }).nullable();
    t.timestamp('delivered_at', { useTz: true }).nullable();
    t.timestamp('failed_at', { useTz: true }).nullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['endpoint_id', 'id']);
    t.index(['user_id']);
  });
  // Room on each page for a claim to update its row in place (HOT: the claim changes no indexed column).
  await knex.raw('alter table selfreg_webhook_deliveries set (fillfactor = 70)');
  await knex.raw("create index selfreg_webhook_deliveries_claim_idx on selfreg_webhook_deliveries (next_attempt_at, id) where status in ('queued', 'sending')");
  await knex.raw('create unique index selfreg_webhook_deliveries_event_key_idx on selfreg_webhook_deliveries (endpoint_id, event_key) where event_key is not null');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('selfreg_webhook_deliveries');
  await knex.schema.dropTableIfExists('selfreg_webhook_endpoints');
}
