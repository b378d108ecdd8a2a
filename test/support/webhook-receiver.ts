/*
 * A real webhook receiver on loopback (node:http): it records every request, verifies each one's
 * signature with the standardwebhooks package against the secrets it was given, and answers as the
 * test tells it (a queue of statuses, then `status`). It can go down and come back on the same port.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface ReceivedWebhook {
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly json: { type: string; timestamp: string; data: Record<string, any> };
  /** Per secret given to the receiver: whether that secret verifies the request. */
  readonly verifiedWith: boolean[];
  readonly answered: number;
}

export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  secrets: string[] = [];
  /** Answers used first, one per request; then `status`. */
  readonly answers: { status: number; headers?: Record<string, string> }[] = [];
  status = 200;
  port = 0;
  private server: http.Server | null = null;

  async start(port = this.port): Promise<void> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
        const answer = this.answers.shift() ?? { status: this.status };
        const verifiedWith = this.secrets.map((secret) => {
          try {
            new Webhook(secret).verify(body, headers);
            return true;
          } catch {
            return false;
          }
        });
        this.received.push({ headers, body, json: JSON.parse(body), verifiedWith, answered: answer.status });
        res.writeHead(answer.status, answer.headers ?? {}).end('ok');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Requests answered 2xx, by event type. */
  delivered(type?: string): ReceivedWebhook[] {
    return this.received.filter((r) => r.answered >= 200 && r.answered < 300 && (!type || r.json.type === type));
  }
}
