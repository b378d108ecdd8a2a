import path from 'node:path';
import type { Knex } from 'knex';
import { inject, injectable } from 'inversify';
import type { Manifest } from '../manifest/manifest.js';
import { PLUGIN_ROOT } from '../adapters/views.js';
import { TYPES, type LifecycleContribution } from '../types.js';

/** Runs the plugin's own migrations, tracked in its own table (the manifest's `migrations`). */
export async function migrate(knex: Knex, manifest: Pick<Manifest, 'migrations'>): Promise<void> {
  await knex.migrate.latest({
    directory: path.join(PLUGIN_ROOT, manifest.migrations.directory),
    tableName: manifest.migrations.tableName,
    loadExtensions: ['.ts', '.js'],
  });
}

/** The first phase of start(): the schema is current before anything else runs. */
@injectable()
export class Migrations implements LifecycleContribution {
  readonly phase = 'migrate' as const;

  constructor(
    @inject(TYPES.Database) private readonly knex: Knex,
    @inject(TYPES.Manifest) private readonly manifest: Pick<Manifest, 'migrations'>,
  ) {}

  async start(): Promise<void> {
    await migrate(this.knex, this.manifest);
  }

  stop(): void {}
}
