import { ContainerModule } from 'inversify';
import type { Knex } from 'knex';
import type { HostV1, PluginOptions } from '../contract/index.js';
import type { Manifest } from '../manifest/manifest.js';
import { TYPES } from './types.js';
import { Routes } from '../manifest/routes.js';
import { Permissions } from '../manifest/permissions.js';

/** Binds every port of the host object, as given. */
export const hostModule = (host: HostV1, options: PluginOptions, manifest: Manifest) =>
  new ContainerModule(({ bind }) => {
    bind(TYPES.Host).toConstantValue(host);
    bind<Knex>(TYPES.Database).toConstantValue(host.database);
    bind(TYPES.Users).toConstantValue(host.users);
    bind(TYPES.Enrolments).toConstantValue(host.enrolments);
    bind(TYPES.Catalogue).toConstantValue(host.catalogue);
    bind(TYPES.Portal).toConstantValue(host.portal);
    bind(TYPES.Access).toConstantValue(host.access);
    bind(TYPES.Credentials).toConstantValue(host.credentials);
    bind(TYPES.Seats).toConstantValue(host.seats);
    bind(TYPES.Events).toConstantValue(host.events);
    bind(TYPES.Panels).toConstantValue(host.panels);
    bind(TYPES.Http).toConstantValue(host.http);
    bind(TYPES.Logger).toConstantValue(host.logger);
    bind(TYPES.Clock).toConstantValue(host.clock);
    bind(TYPES.DevMailbox).toConstantValue(host.devMailbox ?? null);
    bind(TYPES.Options).toConstantValue(options);
    bind(TYPES.Manifest).toConstantValue(manifest);
    bind(TYPES.Routes).toConstantValue(new Routes(manifest));
    bind(TYPES.Permissions).toConstantValue(new Permissions(manifest));
  });
