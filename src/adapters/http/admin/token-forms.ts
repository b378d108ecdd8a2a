/*
 * The token-management forms read at the edge (zod): every field an optional string of bounded
 * size; the domain judges what the values mean, with a message per field.
 */
import { z } from 'zod';
import { readMaxUses } from '../../../domain/tokens/token-rules.js';

const text = (max: number) => z.string().max(max).optional();

// Generous limits: lengths are the domain's to judge, with a message; the body itself is capped at 20 kB.
export const tokenFormSchema = z.object({
  nickname: text(2000),
  customCode: text(2000),
  expiresOn: text(200),
  maxUses: text(200),
});
export type TokenForm = z.infer<typeof tokenFormSchema>;

/** `requestId`: the form's one-time id (printed with the form), so a reload of its answer creates nothing. */
export const apiKeyFormSchema = z.object({ name: text(2000), requestId: z.string().regex(/^[A-Za-z0-9-]{16,64}$/).optional() });
export const switchFormSchema = z.object({ enabled: z.enum(['on', 'off']) });

/** Blank → null; "1,000" or "1 000" → 1000; anything else → NaN, which the domain refuses with a message. */
export const parseMaxUses = readMaxUses;
