/* The optional development mailbox: mail the plugin sends without SMTP_URL lands in sandbox_mailbox (shown at /mailbox). */
import type { DevMailboxPort } from '../../src/contract/index.js';
import type { HostContext } from './host-context.js';

export function createDevMailboxPort(ctx: HostContext): DevMailboxPort {
  return {
    async deliver(message) {
      await ctx.knex('sandbox_mailbox').insert({
        message_id: message.messageId,
        from: message.from,
        to: message.to,
        subject: message.subject,
        raw: message.raw,
        html: message.html ?? null,
        text: message.text ?? null,
        created_at: ctx.clock.now(),
      });
      ctx.log.info({ to: message.to, subject: message.subject }, 'Mail delivered to the sandbox mailbox');
    },
  };
}
