import http from 'node:http';
import https from 'node:https';
import type { LogoCheck, LogoProbe } from '../../domain/ports/logo-probe.port.js';
import type { PortalFacts } from '../../domain/ports/portal-facts.port.js';
import { guardedLookup, isInternalAddress } from '../shared/guarded-lookup.js';

const TIMEOUT_MS = 3000;

/**
 * Asks the logo's server what is there (HEAD, else a one-byte GET), without following redirects
 * and with a short timeout; a path is asked of the portal's own public base URL. An https:// address
 * on the machine's own network is never asked (the portal's own host is).
 */
export class HttpLogoProbe implements LogoProbe {
  constructor(private readonly portal: PortalFacts, private readonly timeoutMs = TIMEOUT_MS) {}

  async check(value: string): Promise<LogoCheck> {
    const { publicBaseUrl } = await this.portal.info();
    let url: URL;
    try {
      url = value.startsWith('/') ? new URL(value, publicBaseUrl) : new URL(value);
    } catch {
      return 'unchecked';
    }
    const own = new URL(publicBaseUrl).hostname;
    if (url.hostname !== own && (isInternalAddress(url.hostname.replace(/^\[|\]$/g, '')) || url.protocol !== 'https:')) return 'unchecked';
    const head = await this.ask(url, 'HEAD', own);
    if (head && (head.status === 405 || head.status === 501)) return this.verdict(await this.ask(url, 'GET', own));
    return this.verdict(head);
  }

  private verdict(answer: { status: number; type: string } | null): LogoCheck {
    if (!answer || (answer.status >= 300 && answer.status < 400)) return 'unchecked';
    if (answer.status >= 400) return 'missing';
    return /^image\//i.test(answer.type) ? 'ok' : 'not-image';
  }

  private ask(url: URL, method: 'HEAD' | 'GET', own: string): Promise<{ status: number; type: string } | null> {
    const client = url.protocol === 'https:' ? https : http;
    return new Promise((resolve) => {
      const req = client.request(url, {
        method,
        headers: { accept: 'image/*', ...(method === 'GET' && { range: 'bytes=0-0' }) },
        lookup: guardedLookup((host) => host === own) as never,
        timeout: this.timeoutMs,
      });
      req.on('response', (res) => {
        resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? '') });
        res.destroy();
      });
      req.on('timeout', () => req.destroy());
      req.on('error', () => resolve(null));
      req.end();
    });
  }
}
