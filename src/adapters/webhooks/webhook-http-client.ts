import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { isLoopbackHost, type WebhookNetwork } from '../../domain/webhooks/webhook-endpoint.js';
import { parseRetryAfter, type AttemptOutcome } from '../../domain/webhooks/delivery-decision.js';
import { guardedLookup, isInternalAddress } from '../shared/guarded-lookup.js';

export interface WebhookHttpOptions {
  readonly network: WebhookNetwork;
  /** The whole try: connecting, sending and reading the answer (default 10 s). */
  readonly timeoutMs?: number;
  /** Sockets kept per receiver (keep-alive). */
  readonly maxSockets?: number;
}

/** At most this much of an answer is read (and thrown away); a longer one ends the connection. */
const MAX_RESPONSE_BYTES = 64 * 1024;

export type TimedOutcome = AttemptOutcome & { readonly durationMs: number };

/** A URL that may be asked: its client, Host header and request options. */
interface Target {
  readonly client: typeof http | typeof https;
  readonly host: string;
  readonly options: http.RequestOptions;
}

/**
 * POSTs a delivery, guarded against server-side request forgery: https only (http only to loopback
 * in development), the name resolved once and refused when any address is private, loopback or
 * link-local (in development loopback is allowed), the connection made to the checked address,
 * redirects never followed (a 3xx is just a failed try), a timeout over the whole try and a capped
 * read of the answer. Keep-alive agents reuse connections to a receiver.
 */
export class WebhookHttpClient {
  private readonly agents: { http: http.Agent; https: https.Agent };
  private readonly timeoutMs: number;
  private readonly targets = new Map<string, Target | { refused: string }>();
  private readonly inFlight = new Set<{ deadline: number; req: http.ClientRequest }>();
  private sweeper: NodeJS.Timeout | null = null;

  constructor(private readonly options: WebhookHttpOptions) {
    const lookup = guardedLookup((host) => options.network === 'loopback' && isLoopbackHost(host)) as never;
    const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 10, lookup };
    this.agents = { http: new http.Agent(agentOptions), https: new https.Agent(agentOptions) };
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  /** Why `url` may not be asked at all, or null. */
  refusal(url: URL): string | null {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const loopbackAllowed = this.options.network === 'loopback' && isLoopbackHost(url.hostname);
    if (url.protocol === 'http:' ? !loopbackAllowed : url.protocol !== 'https:') return 'EADDRINTERNAL: only https:// addresses are allowed';
    if (net.isIP(host) && isInternalAddress(host) && !loopbackAllowed) return `EADDRINTERNAL: ${host} is an internal address`;
    return null;
  }

  post(target: string, headers: Record<string, string>, body: string): Promise<TimedOutcome> {
    const started = performance.now();
    const checked = this.checked(target);
    if ('refused' in checked) return Promise.resolve({ kind: 'unreachable', error: checked.refused, durationMs: 0 });
    const { client, options } = checked;
    // The headers as a flat list, written as they are (no per-header bookkeeping); the body goes as
    // the string it is, encoded once on the socket.
    const list = ['host', checked.host, 'content-length', String(Buffer.byteLength(body, 'utf8'))];
    for (const name in headers) list.push(name, headers[name]!);
    return new Promise((resolve) => {
      let settled = false;
      const done = (outcome: AttemptOutcome) => {
        if (settled) return;
        settled = true;
        this.inFlight.delete(flight);
        resolve(outcome.kind === 'answered'
          ? { kind: 'answered', status: outcome.status, retryAfterMs: outcome.retryAfterMs, durationMs: Math.round(performance.now() - started) }
          : { kind: 'unreachable', error: outcome.error, durationMs: Math.round(performance.now() - started) });
      };
      const req = client.request({ ...options, headers: list });
      const flight = { deadline: started + this.timeoutMs, req };
      this.inFlight.add(flight);
      this.watch();
      req.on('response', (res) => {
        let read = 0;
        const status = res.statusCode ?? 0;
        // The headers are only read (parsed) when the answer is not a success: a 2xx needs none.
        const retryAfterMs = status >= 200 && status < 300 ? null : parseRetryAfter(header(res.headers['retry-after']), new Date());
        const answered = { kind: 'answered' as const, status, retryAfterMs };
        res.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_RESPONSE_BYTES) {
            res.destroy();
            done(answered);
          }
        });
        res.on('end', () => done(answered));
        res.on('close', () => done(answered));
      });
      req.on('error', (e: NodeJS.ErrnoException) => done({ kind: 'unreachable', error: describe(e) }));
      req.end(body, 'utf8');
    });
  }

  /** The request's options and client, or why the URL may not be asked; kept per URL (a batch asks the same few). */
  private checked(target: string): Target | { refused: string } {
    let known = this.targets.get(target);
    if (!known) {
      let url: URL | null = null;
      try {
        url = new URL(target);
      } catch {
        // Refused below.
      }
      const refused = url ? this.refusal(url) : 'Invalid URL';
      known = refused || !url ? { refused: refused ?? 'Invalid URL' } : this.target(url);
      if (this.targets.size > 1000) this.targets.clear();
      this.targets.set(target, known);
    }
    return known;
  }

  /** What node:http would make of the URL on every request (urlToHttpOptions), made once. */
  private target(url: URL): Target {
    const https_ = url.protocol === 'https:';
    return {
      client: https_ ? https : http,
      host: url.host,
      options: {
        protocol: url.protocol,
        hostname: url.hostname.replace(/^\[|\]$/g, ''),
        ...(url.port !== '' && { port: Number(url.port) }),
        path: `${url.pathname}${url.search}`,
        method: 'POST',
        agent: https_ ? this.agents.https : this.agents.http,
      },
    };
  }

  /** One timer for every try in flight: each is cut off once its deadline passed (no timer per request). */
  private watch(): void {
    if (this.sweeper) return;
    this.sweeper = setInterval(() => {
      const now = performance.now();
      for (const f of this.inFlight) {
        if (f.deadline <= now) f.req.destroy(Object.assign(new Error(`No answer within ${this.timeoutMs} ms`), { code: 'ETIMEDOUT' }));
      }
      if (this.inFlight.size === 0 && this.sweeper) {
        clearInterval(this.sweeper);
        this.sweeper = null;
      }
    }, Math.max(10, Math.min(250, Math.round(this.timeoutMs / 10))));
    this.sweeper.unref();
  }

  close(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = null;
    this.agents.http.destroy();
    this.agents.https.destroy();
  }
}

const header = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);

const describe = (e: NodeJS.ErrnoException): string => {
  const text = (e.message || String(e)).replace(/\s+/g, ' ').trim();
  return e.code && !text.includes(e.code) ? `${e.code}: ${text}` : text;
};
