import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ejs from 'ejs';

/** The plugin's own folder (holding plugin/, views/, migrations/), whatever the host's cwd is. */
export const PLUGIN_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Renders the plugin's EJS views. Data is passed as data only — never as render options, and never
 * straight from a request — and templates print user data only through `<%=`.
 */
export class Views {
  constructor(private readonly dir: string = path.join(PLUGIN_ROOT, 'views')) {}

  render(name: string, data: Record<string, unknown>): Promise<string> {
    // Plain-text mail parts are not HTML: `<%=` there prints text as it is, without entities.
    const escape = name.endsWith('.text') ? (s: unknown) => (s == null ? '' : String(s)) : undefined;
    return ejs.renderFile(path.join(this.dir, `${name}.ejs`), data, { cache: true, root: this.dir, ...(escape ? { escape } : {}) }) as Promise<string>;
  }
}
