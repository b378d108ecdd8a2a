/** The Mail panel: the outbox and its failures. */
export const mail = {
  intro: 'Mail the plugin sends (invitations, sign-in links, admin notifications) waits in a queue until the SMTP server accepts it.',
  queued: 'Queued',
  sent: 'Sent',
  failed: 'Failed',
  retrying: '{n} waiting to retry after an error',
  lastRetryError: 'Latest error while retrying:',
  oldestQueued: 'Oldest queued since',
  failuresHeading: 'Latest failures',
  noFailures: 'No failed messages.',
  retry: 'Retry',
  retryAll: 'Retry all failed ({n})',
  retried: 'The message is back in the queue and will be sent shortly.',
  retriedAll: '{n} failed messages are back in the queue and will be sent shortly.',
  retriedNone: 'There were no failed messages to retry.',
  templates: {
    invitation: 'Invitation',
    'sign-in-link': 'Sign-in link',
    'admin-notification': 'Admin notification',
    'admin-digest': 'Daily digest',
    'seat-limit-alert': 'Seat-limit alert',
  } as Record<string, string>,
} as const;
