/** SHA-256 of an emailed link secret. */
export interface SecretHasher {
  hash(secret: string): string;
}
