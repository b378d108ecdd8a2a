import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import type { DevMailboxPort } from '../../contract/index.js';
import type { LoggerPort } from '../../domain/ports/logger.port.js';
import { headerSafe, type RenderedMail } from './mail-renderer.js';

export interface Envelope {
  readonly from: string;
  readonly to: string;
  readonly messageId: string;
  readonly portalName: string;
}

export interface MailSender {
  send(envelope: Envelope, mail: RenderedMail): Promise<void>;
  /** How many messages it can usefully have in flight at once (the worker sends a batch in parallel up to this). */
  readonly concurrency: number;
  close(): void;
}

export interface SmtpPoolOptions {
  /** Parallel SMTP connections (default 5). */
  readonly maxConnections?: number;
  /** Messages per connection before it is renewed (default 500). */
  readonly maxMessages?: number;
}

/**
 * Pooled SMTP: a few connections serve many messages (an unpooled one costs ~100 ms each). Timeouts
 * are short enough that a dead server fails a try within seconds instead of holding a batch for minutes.
 */
export function smtpSender(smtpUrl: string, opts: SmtpPoolOptions = {}): MailSender {
  const maxConnections = opts.maxConnections ?? 5;
  const transport: Transporter = nodemailer.createTransport({
    url: smtpUrl,
    pool: true,
    maxConnections,
    maxMessages: opts.maxMessages ?? 500,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 60_000,
  } as Parameters<typeof nodemailer.createTransport>[0]);
  return {
    concurrency: maxConnections * 20,
    async send(envelope, mail) {
      await transport.sendMail(message(envelope, mail));
    },
    close: () => transport.close(),
  };
}

/** No SMTP configured: build the real RFC 5322 message and hand it to the host's development mailbox. */
export function devMailboxSender(mailbox: DevMailboxPort | undefined, logger: LoggerPort): MailSender {
  const transport: Transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    concurrency: 10,
    async send(envelope, mail) {
      const info = await transport.sendMail(message(envelope, mail));
      const raw = (info.message as Buffer).toString('utf8');
      if (!mailbox) {
        logger.warn('No SMTP_URL and no development mailbox: mail written to the log only', { to: envelope.to, subject: mail.subject });
        return;
      }
      await mailbox.deliver({ from: envelope.from, to: envelope.to, subject: mail.subject, raw, html: mail.html, text: mail.text, messageId: envelope.messageId });
    },
    close: () => transport.close(),
  };
}

/** The message as nodemailer builds it: the portal's name (sanitised) as the From name, nothing else from data in headers. */
export function message(envelope: Envelope, mail: RenderedMail) {
  return {
    from: { name: headerSafe(envelope.portalName), address: envelope.from },
    to: envelope.to,
    subject: headerSafe(mail.subject),
    messageId: envelope.messageId,
    html: mail.html,
    text: mail.text,
  };
}
