/** Signing secrets of webhook endpoints: `whsec_` and the base64 of random bytes (Standard Webhooks). */
export interface WebhookSecretsPort {
  generate(): string;
}
