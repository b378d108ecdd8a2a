import type { Manifest } from './manifest.js';

/**
 * The plugin's URLs, read from the manifest's `routes` (mount points and the named paths under
 * them), so that what a host reads in plugin/manifest.json is what the plugin mounts and links to.
 * Asking for a route or path the manifest does not declare throws: a disagreement fails loudly.
 */
export class Routes {
  private readonly byId: Map<string, Manifest['routes'][number]>;

  constructor(manifest: Pick<Manifest, 'routes'>) {
    this.byId = new Map(manifest.routes.map((r) => [r.id, r]));
  }

  private route(id: string): Manifest['routes'][number] {
    const route = this.byId.get(id);
    if (!route) throw new Error(`plugin/manifest.json declares no route "${id}"`);
    return route;
  }

  /** The absolute path a route group is mounted at, e.g. `mount('register')` → `/register`. */
  mount(id: string): string {
    return this.route(id).mount;
  }

  kind(id: string): Manifest['routes'][number]['kind'] {
    return this.route(id).kind;
  }

  /** A named path under its mount as an Express pattern relative to the mount: `/{code}` → `/:code`. */
  pattern(id: string, name: string): string {
    return this.template(id, name).replace(/\{(\w+)\}/g, ':$1');
  }

  /**
   * The absolute path of a named path with its parameters filled in (each URI-encoded):
   * `path('links', 'invitation', { token })` → `/self-registration/invitation/<token>`.
   */
  path(id: string, name: string, params: Record<string, string> = {}): string {
    const filled = this.template(id, name).replace(/\{(\w+)\}/g, (_, key: string) => {
      const value = params[key];
      if (value === undefined) throw new Error(`route ${id}.${name} needs the parameter "${key}"`);
      return encodeURIComponent(value);
    });
    return this.mount(id) + filled;
  }

  private template(id: string, name: string): string {
    const template = this.route(id).paths[name];
    if (template === undefined) throw new Error(`plugin/manifest.json declares no path "${name}" under route "${id}"`);
    return template;
  }
}
