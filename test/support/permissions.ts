/* The manifest's real permissions, as the container binds them: use cases under test check ids against plugin/manifest.json. */
import { PLUGIN_ROOT } from '../../src/adapters/views.js';
import { readManifest } from '../../src/manifest/manifest.js';
import { Permissions } from '../../src/manifest/permissions.js';

export const permissions = new Permissions(readManifest(PLUGIN_ROOT));
