export type MailTemplate = 'invitation' | 'sign-in-link' | 'admin-notification' | 'admin-digest' | 'seat-limit-alert' | 'webhook-disabled';

export interface OutgoingMail {
  readonly to: string;
  readonly template: MailTemplate;
  /** Data the template renders; plain JSON. */
  readonly data: Record<string, unknown>;
}
