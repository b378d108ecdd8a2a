import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ejs from 'ejs';

/** The plugin's own folder (holding plugin/, views/, migrations/), whatever the host's cwd is. */
export const PLUGIN_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/**
 * The one renderer of the plugin's EJS views: settings panels, admin and public pages, and both parts
 * of every email. Each template is compiled once and kept (the outbox worker renders thousands of
 * messages a minute; compiling per render costs about a fifth more).
 *
 * Data is passed as data only — never as render options, and never straight from a request — and
 * templates print user data only through `<%=`. Plain-text parts (`*.text`) are not HTML: there
 * `<%=` prints text as it is, without entities.
 */
export class TemplateRenderer {
  private readonly templates = new Map<string, ejs.TemplateFunction>();

  /** `dir` is the views folder; `name` is a path under it without `.ejs` (e.g. `panels/mail`). */
  constructor(private readonly dir: string = path.join(PLUGIN_ROOT, 'views')) {}

  /** Renders `name` with `data`; a broken template rejects. */
  async render(name: string, data: Record<string, unknown>): Promise<string> {
    return this.renderNow(name, data);
  }

  /** The same, synchronously: for callers that render many parts in a row (mail). Throws on a broken template. */
  renderNow(name: string, data: Record<string, unknown>): string {
    return this.compiled(name)(data) as string;
  }

  private compiled(name: string): ejs.TemplateFunction {
    let fn = this.templates.get(name);
    if (!fn) {
      const filename = path.join(this.dir, `${name}.ejs`);
      const escape = name.endsWith('.text') ? (s: unknown) => (s == null ? '' : String(s)) : undefined;
      fn = ejs.compile(readFileSync(filename, 'utf8'), { filename, root: this.dir, cache: true, ...(escape ? { escape } : {}) }) as ejs.TemplateFunction;
      this.templates.set(name, fn);
    }
    return fn;
  }
}
