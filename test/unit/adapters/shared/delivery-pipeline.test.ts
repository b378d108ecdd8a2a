/*
 * The outbox workers' pipeline (mail, webhooks): the next batch is claimed while one is on the wire,
 * sending never waits for the database's write of an earlier batch, a claimed row waits behind at
 * most one batch, and a failed write stops the drain once what is on the wire is written.
 */
import { expect } from 'chai';
import { drainBatches, Lanes } from '../../../../src/adapters/shared/delivery-pipeline.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

/** Batches of `size` numbered rows, `count` of them, then an empty claim. */
function source(count: number, size: number) {
  let claimed = 0;
  return {
    claims: [] as number[],
    claim(log: string[]) {
      const n = claimed < count ? size : 0;
      const batch = Array.from({ length: n }, (_, i) => claimed * size + i + 1);
      if (n > 0) claimed += 1;
      log.push(`claim ${n > 0 ? claimed : 'none'}`);
      return Promise.resolve({ batch, context: null });
    },
  };
}

describe('adapters/shared: the delivery pipeline', () => {
  it('keeps sending while an earlier batch is being written, and claims a batch only once the one two before it is off the wire', async () => {
    const log: string[] = [];
    const src = source(4, 3);
    const writes: { batch: readonly number[]; release: () => void }[] = [];
    const drained = drainBatches<null, number, number>({
      lanes: new Lanes(2),
      claim: () => src.claim(log),
      attempt: async (row) => {
        log.push(`send ${row}`);
        await tick();
        return row;
      },
      // Every write hangs until the test lets it finish.
      record: (batch) => new Promise<void>((resolve) => {
        log.push(`write ${batch[0]}-${batch.at(-1)}`);
        writes.push({ batch, release: resolve });
      }),
      stopping: () => false,
      recording: 10,
    });
    while (writes.length < 4) await tick();
    // Every row went out although no write has finished.
    expect(log.filter((l) => l.startsWith('send')).length).to.equal(12);
    expect(writes.map((w) => w.batch[0])).to.deep.equal([1, 4, 7, 10]);
    // Batch 3 is claimed only after batch 1's rows were all sent (it waits behind batch 2 alone), and so on.
    for (const [claim, lastOfTwoBefore] of [[3, 3], [4, 6]] as const) {
      expect(log.indexOf(`claim ${claim}`), `claim ${claim}`).to.be.greaterThan(log.indexOf(`send ${lastOfTwoBefore}`));
    }
    for (const w of writes) w.release();
    expect(await drained).to.equal(12);
  });

  it('waits for earlier writes once `recording` of them are unfinished', async () => {
    const log: string[] = [];
    const src = source(3, 2);
    const releases: (() => void)[] = [];
    const drained = drainBatches<null, number, number>({
      lanes: new Lanes(2),
      claim: () => src.claim(log),
      attempt: async (row) => row,
      record: () => new Promise<void>((resolve) => releases.push(resolve)),
      stopping: () => false,
      recording: 1,
    });
    for (let i = 0; i < 20; i++) await tick();
    expect(log).to.deep.equal(['claim 1', 'claim 2']);
    releases.shift()!();
    while (!log.includes('claim 3')) await tick();
    releases.shift()!();
    while (!log.includes('claim none')) await tick();
    releases.shift()!();
    expect(await drained).to.equal(6);
  });

  it('a failed write stops claiming; the batches on the wire are still written, then the failure is thrown', async () => {
    const log: string[] = [];
    const src = source(5, 2);
    const written: number[] = [];
    let unhandled: unknown = null;
    const onUnhandled = (e: unknown) => (unhandled = e);
    process.on('unhandledRejection', onUnhandled);
    try {
      const error = await drainBatches<null, number, number>({
        lanes: new Lanes(1),
        claim: () => src.claim(log),
        attempt: async (row) => {
          await tick();
          return row;
        },
        record: async (batch) => {
          if (batch[0] === 1) throw new Error('database went away');
          written.push(batch[0]!);
        },
        stopping: () => false,
      }).then(() => null, (e: unknown) => e);
      await tick();
      expect(String(error)).to.contain('database went away');
      expect(log).not.to.include('claim 5');
      // What was claimed was sent and its write attempted: nothing claimed is left unrecorded by this worker.
      const claimed = log.filter((l) => /^claim \d/.test(l)).length;
      expect(written).to.deep.equal(Array.from({ length: claimed - 1 }, (_, i) => 3 + 2 * i));
      expect(unhandled).to.equal(null);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('claims nothing once stopping', async () => {
    const log: string[] = [];
    const src = source(3, 2);
    expect(await drainBatches({ lanes: new Lanes(2), claim: () => src.claim(log), attempt: async (row: number) => row, record: async () => undefined, stopping: () => true })).to.equal(0);
    expect(log).to.deep.equal([]);
  });
});
