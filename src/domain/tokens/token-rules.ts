/*
 * The rules a token's fields must meet, in one place: the Enrolment panel, the JSON API, CSV imports
 * and batches all create and change tokens through these two checks, so a row of a file is judged
 * exactly as the same values typed into the panel.
 */
import type { Refusal } from '../shared/errors.js';
import { canHaveTokens, type KnowledgeItem, type KnowledgeRef } from '../shared/knowledge.js';
import { err, ok, type Result } from '../shared/result.js';
import { expiryChange, expiryFromDate } from './expiry.js';
import { TokenCode } from './token-code.js';
import { planTokenChange, validateMaxUses, validateNickname, type Token, type TokenPatch } from './token.js';

export interface NewTokenInput {
  readonly nickname?: string | null;
  /** Blank or absent: a generated code. */
  readonly customCode?: string | null;
  /** A calendar date (YYYY-MM-DD), read in the portal's time zone. */
  readonly expiresOn?: string | null;
  /** An exact instant, for callers that already have one (used when expiresOn is blank). */
  readonly expiresAt?: Date | null;
  readonly maxUses?: number | null;
}

/** A new token's fields once every rule holds; `code` null means one is generated. */
export interface CheckedNewToken {
  readonly item: KnowledgeRef;
  readonly nickname: string | null;
  readonly code: TokenCode | null;
  readonly expiresAt: Date | null;
  readonly maxUses: number | null;
}

const blank = (v: string | null | undefined): boolean => v === undefined || v === null || v.trim() === '';

/** A refusal of several fields at once: the first, in form order, with the others beside it. */
export type FieldRefusals = Refusal & { readonly others?: readonly Refusal[] };

/**
 * Checks a new token: the item first (nothing else matters without it), then every field, in the
 * order a person fixes a form (nickname, expiry, max uses, custom code), each refusal kept, so a
 * form can name every problem at once. `timeZone` is only read when an expiry date is given.
 */
export function checkNewToken(item: KnowledgeItem | null, input: NewTokenInput, now: Date, timeZone: () => string): Result<CheckedNewToken, FieldRefusals> {
  const allowed = canHaveTokens(item);
  if (!allowed.ok) return allowed;
  const refusals: Refusal[] = [];
  const nickname = validateNickname(input.nickname);
  if (!nickname.ok) refusals.push(nickname.error);
  let expiresAt: Date | null = input.expiresAt ?? null;
  if (!blank(input.expiresOn)) {
    const expiry = expiryFromDate(input.expiresOn, timeZone(), now);
    if (expiry.ok) expiresAt = expiry.value;
    else refusals.push(expiry.error);
  }
  const maxUses = validateMaxUses(input.maxUses);
  if (!maxUses.ok) refusals.push(maxUses.error);
  let code: TokenCode | null = null;
  if (!blank(input.customCode)) {
    const custom = TokenCode.custom(input.customCode!.trim());
    if (custom.ok) code = custom.value;
    else refusals.push(custom.error);
  }
  if (refusals.length > 0) return err({ ...refusals[0]!, ...(refusals.length > 1 && { others: refusals.slice(1) }) });
  return ok({ item: allowed.value.ref, nickname: nickname.ok ? nickname.value : null, code, expiresAt, maxUses: maxUses.ok ? maxUses.value : null });
}

/** What may change on a token. Absent: unchanged; null: cleared. */
export interface TokenChangeInput {
  readonly nickname?: string | null;
  readonly expiresOn?: string | null;
  readonly maxUses?: number | null;
  readonly enabled?: boolean;
}

/** Switching a token off is allowed even for library content or an item that has gone; anything else needs a live item. */
export const onlyDisabling = (input: TokenChangeInput): boolean =>
  Object.keys(input).every((k) => k === 'enabled') && input.enabled === false;

/** Checks the values of a change on their own (before any row is read). */
export function checkChangeValues(input: TokenChangeInput): Result<{ nickname?: string | null; maxUses?: number | null }, Refusal> {
  const out: { nickname?: string | null; maxUses?: number | null } = {};
  if (input.nickname !== undefined) {
    const checked = validateNickname(input.nickname);
    if (!checked.ok) return checked;
    out.nickname = checked.value;
  }
  if (input.maxUses !== undefined) {
    const checked = validateMaxUses(input.maxUses);
    if (!checked.ok) return checked;
    out.maxUses = checked.value;
  }
  return ok(out);
}

/**
 * A change against the token as it is now: the item must still allow tokens (unless only
 * disabling), the values must hold, and only what really changes is kept (see planTokenChange).
 */
export function checkTokenChange(
  current: Token,
  item: KnowledgeItem | null,
  input: TokenChangeInput,
  now: Date,
  timeZone: () => string,
): Result<TokenPatch, Refusal> {
  if (!onlyDisabling(input)) {
    const allowed = canHaveTokens(item);
    if (!allowed.ok) return allowed;
  }
  const values = checkChangeValues(input);
  if (!values.ok) return values;
  let expiresAt: Date | null | undefined;
  if (input.expiresOn !== undefined) {
    const checked = expiryChange(current.expiresAt, input.expiresOn, timeZone(), now);
    if (!checked.ok) return checked;
    expiresAt = checked.value;
  }
  const patch: TokenPatch = {
    ...(values.value.nickname !== undefined && { nickname: values.value.nickname }),
    ...(expiresAt !== undefined && { expiresAt }),
    ...(values.value.maxUses !== undefined && { maxUses: values.value.maxUses }),
    ...(input.enabled !== undefined && { enabled: input.enabled }),
  };
  return planTokenChange(current, patch);
}

/** Blank → null; "1,000" or "1 000" → 1000; anything else → NaN, which validateMaxUses refuses. */
export function readMaxUses(raw: string | undefined): number | null | undefined {
  if (raw === undefined) return undefined;
  const cleaned = raw.trim().replace(/[\s,_]/g, '');
  if (cleaned === '') return null;
  return /^\d{1,9}$/.test(cleaned) ? Number(cleaned) : Number.NaN;
}
