/* start() runs explicit phases (migrate → hooks → panels → routes → workers); stop() runs them in reverse. */
import { expect } from 'chai';
import { Container } from 'inversify';
import { Lifecycle, lifecyclePlan } from '../../../src/container/lifecycle.js';
import { TYPES, type LifecycleCheck, type LifecycleContribution, type LifecyclePhase, type WorkerContribution } from '../../../src/types.js';

function recorder() {
  const calls: string[] = [];
  const make = (name: string, phase?: LifecyclePhase, fail = false): LifecycleContribution => ({
    ...(phase && { phase }),
    start: () => {
      if (fail) throw new Error(`${name} failed`);
      calls.push(`start ${name}`);
    },
    stop: () => {
      calls.push(`stop ${name}`);
    },
  });
  return { calls, make };
}

describe('lifecycle phases', () => {
  it('starts by phase, not by binding order; binding order within a phase; stops in reverse', async () => {
    const { calls, make } = recorder();
    const c = new Container();
    c.bind(TYPES.Lifecycle).toConstantValue(make('routes-a'));
    c.bind(TYPES.Lifecycle).toConstantValue(make('worker', 'workers'));
    c.bind(TYPES.Lifecycle).toConstantValue(make('panels', 'panels'));
    c.bind(TYPES.Lifecycle).toConstantValue(make('routes-b', 'routes'));
    c.bind(TYPES.Lifecycle).toConstantValue(make('hooks', 'hooks'));
    c.bind(TYPES.Lifecycle).toConstantValue(make('migrate', 'migrate'));
    const lifecycle = new Lifecycle(c);
    await lifecycle.start();
    expect(calls).to.deep.equal(['start migrate', 'start hooks', 'start panels', 'start routes-a', 'start routes-b', 'start worker']);
    calls.length = 0;
    await lifecycle.stop();
    expect(calls).to.deep.equal(['stop worker', 'stop routes-b', 'stop routes-a', 'stop panels', 'stop hooks', 'stop migrate']);
    await lifecycle.stop();
    expect(calls).to.have.length(6);
  });

  it('a failing start stops what started, in reverse, and rethrows; so does a failing check after a phase', async () => {
    const { calls, make } = recorder();
    const c = new Container();
    c.bind(TYPES.Lifecycle).toConstantValue(make('hooks', 'hooks'));
    c.bind(TYPES.Lifecycle).toConstantValue(make('routes'));
    c.bind(TYPES.Lifecycle).toConstantValue(make('worker', 'workers', true));
    await new Lifecycle(c).start().then(() => expect.fail('started'), (e: Error) => expect(e.message).to.equal('worker failed'));
    expect(calls).to.deep.equal(['start hooks', 'start routes', 'stop routes', 'stop hooks']);

    calls.length = 0;
    const d = new Container();
    d.bind(TYPES.Lifecycle).toConstantValue(make('routes'));
    d.bind(TYPES.Lifecycle).toConstantValue(make('worker', 'workers'));
    d.bind<LifecycleCheck>(TYPES.LifecycleCheck).toConstantValue({ after: 'routes', check: () => { throw new Error('routes disagree'); } });
    await new Lifecycle(d).start().then(() => expect.fail('started'), (e: Error) => expect(e.message).to.equal('routes disagree'));
    expect(calls).to.deep.equal(['start routes', 'stop routes']);
  });

  it('a contribution bound twice starts once; one that is a declared worker is left to the workers', () => {
    const { make } = recorder();
    const shared = make('shared');
    const scheduler = make('scheduler');
    const c = new Container();
    c.bind(TYPES.Lifecycle).toConstantValue(shared);
    c.bind(TYPES.Lifecycle).toConstantValue(shared);
    c.bind(TYPES.Lifecycle).toConstantValue(scheduler);
    c.bind<WorkerContribution>(TYPES.Worker).toConstantValue({ id: 'digest-scheduler', worker: scheduler });
    const plan = lifecyclePlan(c);
    expect(plan.map((p) => p.phase)).to.deep.equal(['migrate', 'hooks', 'panels', 'routes', 'workers']);
    expect(plan.find((p) => p.phase === 'routes')!.contributions).to.deep.equal([shared]);
  });
});
