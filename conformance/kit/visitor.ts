/*
 * A person with a browser, as far as the kit needs one: a cookie jar over fetch against the host
 * the kit listens with. Redirects are not followed, so a test sees where the host sends people.
 */
export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The Location header, if any. */
  readonly location: string | null;
  json<T = unknown>(): T;
}

export interface RequestOptions {
  /** Sent as application/x-www-form-urlencoded. */
  readonly form?: Readonly<Record<string, string>>;
  readonly headers?: Readonly<Record<string, string>>;
}

export class Visitor {
  private readonly jar = new Map<string, string>();

  constructor(readonly base: string) {}

  /** A visitor holding the same cookies now (they diverge afterwards). */
  clone(): Visitor {
    const copy = new Visitor(this.base);
    for (const [k, v] of this.jar) copy.jar.set(k, v);
    return copy;
  }

  cookieHeader(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  get(path: string, opts: RequestOptions = {}): Promise<Answer> {
    return this.request('GET', path, opts);
  }

  post(path: string, form: Readonly<Record<string, string>> = {}, opts: RequestOptions = {}): Promise<Answer> {
    return this.request('POST', path, { ...opts, form });
  }

  async request(method: string, path: string, opts: RequestOptions = {}): Promise<Answer> {
    const url = new URL(path, this.base);
    if (url.origin !== new URL(this.base).origin) throw new Error(`The kit only visits the host under test, not ${url.origin}`);
    const headers: Record<string, string> = { ...opts.headers };
    const cookie = this.cookieHeader();
    if (cookie) headers.cookie = cookie;
    let body: string | undefined;
    if (opts.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      headers.origin = new URL(this.base).origin;
      body = new URLSearchParams(opts.form as Record<string, string>).toString();
    }
    const res = await fetch(url, { method, headers, redirect: 'manual', ...(body !== undefined && { body }) });
    for (const line of res.headers.getSetCookie()) this.store(line);
    const text = await res.text();
    return {
      status: res.status,
      headers: res.headers,
      text,
      location: res.headers.get('location'),
      json: <T>() => JSON.parse(text) as T,
    };
  }

  private store(line: string): void {
    const [pair, ...attributes] = line.split(';');
    const at = pair!.indexOf('=');
    if (at <= 0) return;
    const name = pair!.slice(0, at).trim();
    const value = pair!.slice(at + 1).trim();
    const expired = attributes.some((a) => {
      const [k, v] = a.split('=').map((x) => x.trim().toLowerCase());
      return (k === 'max-age' && Number(v) <= 0) || (k === 'expires' && v !== undefined && Date.parse(v) < Date.now());
    });
    if (expired || value === '') this.jar.delete(name);
    else this.jar.set(name, value);
  }
}
