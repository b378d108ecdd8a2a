import { expect } from 'chai';
import supertest from 'supertest';
import { linkify } from '../../../sandbox/web/linkify.js';
import { startTestSandbox } from '../helpers.js';
import type { TestSandbox } from '../helpers.js';

describe('sandbox mailbox', function () {
  let t: TestSandbox;
  before(async () => {
    t = await startTestSandbox({ seed: false, plugin: false });
  });
  after(async () => t?.destroy());

  it('shows a development banner and an empty list', async () => {
    const res = await supertest(t.sandbox.app).get('/mailbox').expect(200);
    expect(res.text).to.contain('Development mailbox').and.to.contain('No messages yet');
  });

  it('lists messages newest first and renders every part escaped', async () => {
    const deliver = t.sandbox.host.devMailbox!.deliver;
    await deliver({ from: 'no-reply@localhost', to: 'first@example.com', subject: 'First', raw: 'Subject: First\r\n\r\nx', text: 'x', messageId: '<a@localhost>' });
    await deliver({
      from: 'no-reply@localhost',
      to: '"><img src=x onerror=alert(1)>@example.com',
      subject: 'Set your password <script>alert(1)</script>',
      raw: 'Subject: =?utf-8?Q?x?=\r\n\r\n<script>raw()</script>',
      text: 'Hello <b>Pat</b>,\nset your password: http://localhost:3000/self-registration/set-password?t=abc&x=1.\nBye',
      html: '<p>Hello "Pat" &amp; co</p><script>alert(2)</script><a href="http://localhost:3000/x">link</a>',
      messageId: '<b@localhost>',
    });
    const list = await supertest(t.sandbox.app).get('/mailbox').expect(200);
    expect(list.text.indexOf('Set your password')).to.be.lessThan(list.text.indexOf('First'));
    expect(list.text).not.to.contain('<script>alert(1)</script>');
    expect(list.text).not.to.contain('<img src=x');

    const row = await t.knex('sandbox_mailbox').where({ message_id: '<b@localhost>' }).first();
    const page = await supertest(t.sandbox.app).get(`/mailbox/${row.id}`).expect(200);
    const html = page.text;
    expect(html).to.contain('Development mailbox');
    expect(html).to.contain('Set your password &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.to.contain('<script>');
    expect(html).not.to.contain('<img src=x');
    // Plain text: escaped, with the URL turned into a link (trailing full stop left out).
    expect(html).to.contain('Hello &lt;b&gt;Pat&lt;/b&gt;');
    expect(html).to.contain('<a href="http://localhost:3000/self-registration/set-password?t=abc&amp;x=1" rel="noopener noreferrer">http://localhost:3000/self-registration/set-password?t=abc&amp;x=1</a>.');
    // HTML part: inside a sandboxed iframe's srcdoc attribute, fully attribute-escaped.
    const iframe = /<iframe[^>]*>/.exec(html)![0];
    expect(iframe).to.match(/ sandbox="allow-popups allow-popups-to-escape-sandbox"/);
    expect(iframe).to.contain('srcdoc="&lt;base target=&#34;_blank&#34;&gt;&lt;p&gt;Hello &#34;Pat&#34; &amp;amp; co&lt;/p&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
    // Raw source, escaped.
    expect(html).to.contain('&lt;script&gt;raw()&lt;/script&gt;');
  });

  it('answers 404 for an unknown or malformed message id', async () => {
    await supertest(t.sandbox.app).get('/mailbox/99999').expect(404);
    await supertest(t.sandbox.app).get('/mailbox/abc').expect(404);
  });

  it('links only http(s) URLs', () => {
    expect(linkify('see https://a.test/x, or javascript:alert(1) (http://b.test/y)')).to.deep.equal([
      { text: 'see ' },
      { text: 'https://a.test/x', href: 'https://a.test/x' },
      { text: ', or javascript:alert(1) (' },
      { text: 'http://b.test/y', href: 'http://b.test/y' },
      { text: ')' },
    ]);
  });
});
