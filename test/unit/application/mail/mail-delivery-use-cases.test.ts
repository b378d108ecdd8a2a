/* The Email delivery panel's use cases: what the outbox holds, and retrying what failed. Super admins only. */
import { expect } from 'chai';
import { MailStatusQuery } from '../../../../src/application/mail/mail-status.query.js';
import { RetryMail } from '../../../../src/application/mail/retry-mail.use-case.js';
import { RetryAllMail } from '../../../../src/application/mail/retry-all-mail.use-case.js';
import { PORTAL, user } from '../../../support/fakes/index.js';
import { FakeMailQueue } from '../../../support/fakes/index.js';
import { permissions } from '../../../support/permissions.js';

const superAdmin = user('sa', { role: 'super_admin', email: 'sa@acme.test' });
const standardAdmin = user('std', { role: 'standard_admin' });
const learner = user('learner');

describe('application/mail: status, retry one, retry all', () => {
  const failed = (id: string) => ({ id, to: `${id}@acme.test`, template: 'invitation' as const, attempts: 1, error: '550 no such user', failedAt: new Date(), createdAt: new Date() });

  it('only Super admins see the queue and retry', async () => {
    const queue = new FakeMailQueue();
    queue.failed = [failed('1')];
    const mailStatus = new MailStatusQuery(permissions, queue, { info: async () => PORTAL });
    const retry = new RetryMail(permissions, queue);
    const retryAll = new RetryAllMail(permissions, queue);
    for (const actor of [standardAdmin, learner, null]) {
      expect(await mailStatus.execute(actor)).to.deep.equal({ ok: false, error: { code: 'PERMISSION.DENIED' } });
      expect(await retry.execute(actor, '1')).to.deep.equal({ ok: false, error: { code: 'PERMISSION.DENIED' } });
      expect(await retryAll.execute(actor)).to.deep.equal({ ok: false, error: { code: 'PERMISSION.DENIED' } });
    }
    expect(queue.requeued).to.deep.equal([]);
    const overview = await mailStatus.execute(superAdmin);
    expect(overview.ok && overview.value.failures.map((f) => f.id)).to.deep.equal(['1']);
    expect(overview.ok && overview.value.status.failed).to.equal(1);
  });

  it('retries one failed message, or all of them; an unknown or malformed id is not found', async () => {
    const queue = new FakeMailQueue();
    queue.failed = [failed('1'), failed('2'), failed('3')];
    const mailStatus = new MailStatusQuery(permissions, queue, { info: async () => PORTAL });
    const retry = new RetryMail(permissions, queue);
    const retryAll = new RetryAllMail(permissions, queue);
    expect(await retry.execute(superAdmin, '2')).to.deep.equal({ ok: true, value: true });
    expect(await retry.execute(superAdmin, '2')).to.deep.equal({ ok: false, error: { code: 'MAIL.NOT_FOUND' } });
    expect(await retry.execute(superAdmin, '1 or 1=1')).to.deep.equal({ ok: false, error: { code: 'MAIL.NOT_FOUND' } });
    expect(await retryAll.execute(superAdmin)).to.deep.equal({ ok: true, value: 2 });
    expect(queue.requeued).to.deep.equal(['2', '1', '3']);
  });
});

describe('application/MailStatusQuery', () => {
  it('gives the portal’s time zone to show the times in, UTC when the portal’s is not a valid one', async () => {
    const inZone = (timeZone: string) => new MailStatusQuery(permissions, new FakeMailQueue(), { info: async () => ({ ...PORTAL, timeZone }) });
    const seen = async (timeZone: string) => {
      const overview = await inZone(timeZone).execute(superAdmin);
      return overview.ok ? overview.value.timeZone : null;
    };
    expect(await seen('Asia/Tokyo')).to.equal('Asia/Tokyo');
    expect(await seen('Mars/Olympus')).to.equal('UTC');
  });
});
