/** The portal's usage totals by local day (per campaign, per item), kept up to date from the registrations. */
export interface UsageRollupPort {
  /**
   * Folds up to `limit` registrations that are new or reached a new step into the totals, counting
   * days in `timeZone`; returns how many were folded (0: none is waiting, or others hold them).
   */
  fold(timeZone: string, limit: number): Promise<number>;
}
