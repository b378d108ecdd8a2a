import type { Knex } from 'knex';

/*
 * Cloned items: when the host clones an item, each of its tokens is copied to the clone as a disabled
 * draft with a new code. `copied_from` is the source token (kept as a plain id: the source may be
 * deleted later); one copy per source token and clone (the unique index), so an `item.cloned`
 * delivered twice copies nothing twice.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('selfreg_tokens', (t) => {
    t.bigInteger('copied_from').nullable();
  });
  await knex.raw('create unique index selfreg_tokens_copied_from_idx on selfreg_tokens (item_type, item_id, copied_from) where copied_from is not null');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists selfreg_tokens_copied_from_idx');
  await knex.schema.alterTable('selfreg_tokens', (t) => {
    t.dropColumn('copied_from');
  });
}
