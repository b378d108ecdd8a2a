import type { KnowledgeRef } from '../../domain/shared/knowledge.js';
import type { Token } from '../../domain/tokens/token.js';
import type { CodeProtector } from '../crypto/crypto.adapters.js';
import { dateOrNull, idString } from '../shared/knex-helpers.js';

/** A selfreg_tokens row as the bulk stores read it. */
export interface TokenRow {
  id: string | number;
  item_type: string;
  item_id: string;
  nickname: string | null;
  code_ciphertext: string;
  custom: boolean;
  enabled: boolean;
  expires_at: string | Date | null;
  max_uses: number | null;
  uses: number;
  created_by: string | null;
  created_by_name?: string | null;
  created_at: string | Date;
  updated_at?: string | Date;
  last_used_at: string | Date | null;
  import_line?: number | null;
  copied_from?: string | number | null;
  /** Uses and latest use counted in the token's shards (token-uses.ts `shardColumns`). */
  shard_uses?: number | string | null;
  shard_last_used_at?: string | Date | null;
}

export function tokenOfRow(row: TokenRow, codes: CodeProtector): Token {
  return {
    id: idString(row.id),
    item: { type: row.item_type as KnowledgeRef['type'], id: row.item_id },
    nickname: row.nickname,
    code: codes.decrypt(row.code_ciphertext),
    custom: row.custom,
    enabled: row.enabled,
    expiresAt: dateOrNull(row.expires_at),
    maxUses: row.max_uses,
    uses: row.uses + Number(row.shard_uses ?? 0),
    createdBy: row.created_by,
    createdByName: row.created_by_name ?? null,
    createdAt: new Date(row.created_at),
    ...(row.updated_at !== undefined && { updatedAt: new Date(row.updated_at) }),
    lastUsedAt: latest(dateOrNull(row.last_used_at), dateOrNull(row.shard_last_used_at ?? null)),
    ...(row.copied_from != null && { copiedFrom: idString(row.copied_from) }),
  };
}

const latest = (a: Date | null, b: Date | null): Date | null => (a && b ? (a > b ? a : b) : (a ?? b));
