export interface BenchContext {
  readonly databaseUrl: string;
  log(line: string): void;
}

export interface Bench {
  readonly name: string;
  /** Runs, prints its figures through ctx.log, and returns them for the closing JSON line. */
  run(ctx: BenchContext): Promise<Record<string, number | string | boolean>>;
}
