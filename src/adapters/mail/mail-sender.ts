import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import type { DevMailboxPort } from '../../contract.js';
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
  close(): void;
}

/** Pooled SMTP: one connection serves many messages (an unpooled one costs ~100 ms each). */
export function smtpSender(smtpUrl: string): MailSender {
  const transport: Transporter = nodemailer.createTransport(smtpUrl + (smtpUrl.includes('?') ? '&' : '?') + 'pool=true');
  return {
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

function message(envelope: Envelope, mail: RenderedMail) {
  return {
    from: { name: headerSafe(envelope.portalName), address: envelope.from },
    to: envelope.to,
    subject: mail.subject,
    messageId: envelope.messageId,
    html: mail.html,
    text: mail.text,
  };
}
