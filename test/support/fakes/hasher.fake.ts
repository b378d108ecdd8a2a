import { createHash } from 'node:crypto';
import type { SecretHasher } from '../../../src/domain/ports/secret-hasher.port.js';

export const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

export const sha256Hasher: SecretHasher = { hash: sha256 };
