/* The read caches of the public pages and the proxies that drop them on writes. */
import { expect } from 'chai';
import { ChangeSignal, invalidatingOnWrite, ReadCache } from '../../../../src/application/shared/read-cache.js';

describe('application/read-cache', () => {
  it('ReadCache shares one load between concurrent callers and keeps nothing loaded across a write', async () => {
    const signal = new ChangeSignal();
    const cache = new ReadCache<string, number>(signal, 1000, () => 0);
    let loads = 0;
    let release: () => void = () => {};
    const slow = () => new Promise<number>((resolve) => {
      loads += 1;
      release = () => resolve(loads);
    });
    const a = cache.get('k', slow);
    const b = cache.get('k', slow);
    release();
    expect(await Promise.all([a, b])).to.deep.equal([1, 1]);
    expect(loads).to.equal(1);
    // A write while loading: the value is returned but not kept.
    const c = cache.get('j', slow);
    signal.bump();
    release();
    await c;
    await cache.get('j', async () => 99);
    expect(await cache.get('j', async () => 100)).to.equal(99);
  });

  it('invalidatingOnWrite bumps on writes (before and after), never on reads or ignored methods', async () => {
    const signal = new ChangeSignal();
    const repo = {
      n: 0,
      async findById() { return this.n; },
      async portalEnabled() { return true; },
      async claimUse() { this.n += 1; },
      async update() { this.n += 10; },
      async search() { return []; },
      async somethingNew() { return 'x'; },
    };
    const wrapped = invalidatingOnWrite(repo, signal, { reads: ['portalEnabled'], ignore: ['claimUse'] });
    await wrapped.findById();
    await wrapped.portalEnabled();
    await wrapped.claimUse();
    await wrapped.search();
    expect(signal.current).to.equal(0);
    await wrapped.update();
    expect(signal.current).to.equal(2);
    expect(await wrapped.somethingNew()).to.equal('x');
    expect(signal.current).to.equal(4);
    expect(repo.n).to.equal(11);
  });
});
