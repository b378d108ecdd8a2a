/*
 * The load generator, in a process of its own (forked by bench/support.ts): the server's CPU time
 * (process.cpuUsage) is then the server's alone. It runs autocannon for each request it is sent and
 * answers the figures: req/s from the first request to the last response (timed here: autocannon's
 * own rate is a mean of one-second buckets, which misreads short runs), latency percentiles, counts.
 */
import autocannon, { type Result } from 'autocannon';

export interface LoadRequest {
  readonly url: string;
  readonly method?: 'GET' | 'POST';
  readonly headers?: Record<string, string>;
  /** A registration form with a fresh email per request: `<emailPrefix><n>@bench.test`. */
  readonly form?: { readonly emailPrefix: string; readonly token: string | null; readonly emails?: readonly string[] };
  readonly connections: number;
  /** Exactly this many requests (so writes can be counted afterwards), else `durationS` seconds. */
  readonly amount?: number;
  readonly durationS?: number;
}

export interface LoadResult {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly mean: number;
  readonly requests: number;
  readonly ok: number;
  readonly errors: number;
}

function requests(form: LoadRequest['form']): autocannon.Request[] | undefined {
  if (!form) return undefined;
  let n = 0;
  return [{
    setupRequest: (req: autocannon.Request) => ({
      ...req,
      body: new URLSearchParams({
        firstName: 'Bench', lastName: 'Mark',
        email: form.emails ? form.emails[n++ % form.emails.length]! : `${form.emailPrefix}${n++}@bench.test`,
        ...(form.token ? { token: form.token } : {}),
      }).toString(),
    }),
  }];
}

async function run(r: LoadRequest): Promise<LoadResult> {
  const started = performance.now();
  let last = started;
  const reqs = requests(r.form);
  const result = await new Promise<Result>((resolve, reject) => {
    const instance = autocannon({
      url: r.url, method: r.method ?? 'GET', connections: r.connections, ...(r.headers && { headers: r.headers }),
      ...(reqs && { requests: reqs }), ...(r.amount ? { amount: r.amount } : { duration: r.durationS ?? 2 }),
    }, (error, res) => (error ? reject(error) : resolve(res)));
    instance.on('response', () => {
      last = performance.now();
    });
  });
  return {
    rps: Math.round(result.requests.total / Math.max(0.001, (last - started) / 1000)),
    p50: result.latency.p50,
    p99: result.latency.p99,
    mean: Math.round(result.latency.mean * 100) / 100,
    requests: result.requests.total,
    ok: result['2xx'],
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

process.on('message', (message: { id: number; request: LoadRequest }) => {
  run(message.request).then(
    (result) => process.send!({ id: message.id, result }),
    (error: unknown) => process.send!({ id: message.id, error: error instanceof Error ? error.message : String(error) }),
  );
});
process.send?.({ ready: true });
