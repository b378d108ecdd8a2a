/*
 * The "Registration page" panel on the portal settings page, over HTTP: who sees and saves it,
 * CSRF, validation with nothing lost, and the public page following what was saved.
 */
import { expect } from 'chai';
import supertest from 'supertest';
import { sessionCookie } from '../sandbox/helpers.js';
import { KnexFormDrafts } from '../../src/adapters/persistence/form-draft.repository.js';
import { csrfOf, NO_LIMITS, startRegistrationSandbox, type RegistrationSandbox } from './registration-helpers.js';
import { signedInAgent } from '../support/sign-in.js';

describe('e2e: the Registration page panel (branding)', function () {
  this.timeout(60_000);
  let s: RegistrationSandbox;
  const as = (label: string) => signedInAgent(s.t, s.t.accounts[label]!.email, s.t.accounts[label]!.password);
  const panelOf = (html: string) => {
    const start = html.indexOf('data-panel-id="self-registration.branding"');
    if (start < 0) return null;
    const end = html.indexOf('</section>', start);
    return html.slice(start, end);
  };
  const valid = {
    logoUrl: '/brand/logo.svg', primaryColour: '#5B2A86', accentColour: '#FFD166', heading: 'Learn with Lumen',
    introduction: 'Short courses.\r\nNo cost.', termsUrl: 'https://lumen.example/terms', privacyUrl: '', successMessage: 'Welcome aboard!',
  };

  before(async () => {
    // Listening, so the logo a save checks is really served at the public base URL.
    s = await startRegistrationSandbox({ listen: true, options: NO_LIMITS });
  });
  after(async () => s?.close());

  it('Super and Standard admins see the panel on the portal settings page, with the preview and its script', async () => {
    for (const label of ['Super admin', 'Standard admin']) {
      const page = await (await as(label)).get('/admin/portal').expect(200);
      const panel = panelOf(page.text);
      expect(panel, label).to.be.a('string');
      expect(panel).to.contain('<h2>Registration page</h2>');
      expect(panel).to.contain('action="/admin/registration-page"');
      expect(panel).to.contain('<script src="/self-registration/assets/branding-preview.js" defer></script>');
      expect(panel).to.contain('data-preview-root');
      expect(panel).to.contain('Contrast with white text: 6.1:1 (good).');
    }
    await supertest(s.t.sandbox.app).get('/self-registration/assets/branding-preview.js').expect(200).expect('content-type', /javascript/);
  });

  it('refuses anonymous visitors, learners and posts without the session’s form token; nothing is stored', async () => {
    const before = (await supertest(s.t.sandbox.app).get('/register')).text;
    await supertest(s.t.sandbox.app).post('/admin/registration-page').type('form').send(valid).expect(401);
    const learner = await as('Staff learner');
    await learner.post('/admin/registration-page').type('form').send(valid).expect(403);
    const admin = await as('Super admin');
    await admin.post('/admin/registration-page').type('form').send(valid).expect(403);
    const otherSession = csrfOf((await (await as('Standard admin')).get('/admin/portal')).text);
    await admin.post('/admin/registration-page').type('form').send({ ...valid, _csrf: otherSession }).expect(403);
    s.changed();
    expect((await supertest(s.t.sandbox.app).get('/register')).text).to.equal(before);
  });

  it('a Standard admin saves it (post/redirect/get); the public page follows at once', async () => {
    const admin = await as('Standard admin');
    const page = await admin.get('/admin/portal?tab=x').expect(200);
    const res = await admin.post('/admin/registration-page').type('form').send({ ...valid, _csrf: csrfOf(page.text), returnTo: '/admin/portal?tab=x' }).expect(303);
    expect(res.headers.location).to.equal('/admin/portal?tab=x&selfreg_branding=saved#self-registration-branding');
    const after = panelOf((await admin.get(res.headers.location!).expect(200)).text)!;
    expect(after).to.contain('Registration page saved.');
    expect(after).to.contain('value="#5b2a86"').and.to.contain('value="Learn with Lumen"');
    expect(after).to.contain('>Short courses.\nNo cost.</textarea>');
    const publicPage = await supertest(s.t.sandbox.app).get('/register').expect(200);
    expect(publicPage.text).to.contain('<h1>Learn with Lumen</h1>').and.to.contain('--selfreg-primary:#5b2a86;--selfreg-accent:#ffd166');
    expect(publicPage.text).to.contain('<p>Short courses.<br>No cost.</p>');
    expect(publicPage.text).to.contain('src="/brand/logo.svg"').and.to.contain('name="consent"');
  });

  it('a logo address that answers 404, or a page instead of an image, is refused before anything is saved', async () => {
    const admin = await as('Super admin');
    for (const [logoUrl, words] of [['/brand/missing.png', 'Nothing answers at that address'], ['/register', 'That address answers with something that is not an image']] as const) {
      const page = await admin.get('/admin/portal').expect(200);
      const res = await admin.post('/admin/registration-page').type('form').send({ ...valid, logoUrl, heading: 'Not saved', _csrf: csrfOf(page.text), returnTo: '/admin/portal' }).expect(303);
      expect(res.headers.location, logoUrl).to.match(/selfreg_branding_draft=/);
      const panel = panelOf((await admin.get(res.headers.location!).expect(200)).text)!;
      expect(panel).to.contain(`Logo URL: ${words}`).and.to.contain(`value="${logoUrl}"`);
    }
    s.changed();
    const publicPage = (await supertest(s.t.sandbox.app).get('/register')).text;
    expect(publicPage).not.to.contain('Not saved');
    expect(publicPage).to.contain('src="/brand/logo.svg"');
  });

  it('the colours have pickers beside their hex fields, and the preview shows all four fields of the real form', async () => {
    const panel = panelOf((await (await as('Super admin')).get('/admin/portal').expect(200)).text)!;
    expect(panel).to.match(/<input type="color" class="selfreg-b-picker" data-picker-for="primaryColour" value="#[0-9a-f]{6}" aria-label="Pick the primary colour" hidden>/);
    expect(panel).to.contain('data-picker-for="accentColour"');
    for (const label of ['First name', 'Last name', 'Email address', 'Token']) expect(panel, label).to.contain(`<span>${label}</span>`);
  });

  it('invalid values: every problem named next to its field, everything typed kept, nothing stored', async () => {
    const admin = await as('Super admin');
    const page = await admin.get('/admin/portal').expect(200);
    const bad = { ...valid, logoUrl: 'javascript:alert(1)', primaryColour: '#f0f0f0', accentColour: 'yellow', heading: 'H'.repeat(130), termsUrl: 'terms.html' };
    const res = await admin.post('/admin/registration-page').type('form').send({ ...bad, _csrf: csrfOf(page.text), returnTo: '/admin/portal' }).expect(303);
    expect(res.headers.location).to.match(/^\/admin\/portal\?selfreg_branding_draft=[A-Za-z0-9_-]{24}#self-registration-branding$/);
    const panel = panelOf((await admin.get(res.headers.location!).expect(200)).text)!;
    expect(panel).to.contain('The page was not saved.');
    expect(panel).to.contain('Logo URL: Enter an https:// address, or a path on this site starting with /.');
    expect(panel).to.contain('Primary colour: White text on this colour is hard to read');
    expect(panel).to.contain('Accent colour: Enter a colour as # and six hexadecimal digits');
    expect(panel).to.contain('Heading: Use at most 120 characters.');
    expect(panel).to.contain('Terms of use link: Enter a full web address');
    expect(panel).to.contain('value="javascript:alert(1)"').and.to.contain(`value="${'H'.repeat(130)}"`).and.to.contain('value="yellow"');
    expect(panel).to.contain('aria-invalid="true"');
    // Neither the unsafe logo nor the bad colour reaches the preview.
    expect(panel).not.to.contain('src="javascript:').and.not.to.contain('background:yellow');
    // The draft belongs to that session only.
    const other = await as('Standard admin');
    const stranger = panelOf((await other.get(res.headers.location!).expect(200)).text)!;
    expect(stranger).not.to.contain('javascript:alert(1)').and.not.to.contain('The page was not saved.');
    // Nothing stored: the public page still shows the last good branding.
    s.changed();
    expect((await supertest(s.t.sandbox.app).get('/register')).text).to.contain('<h1>Learn with Lumen</h1>');
  });

  it('a refused form is kept in the shared draft store, so whichever instance serves the redirect shows what was typed', async () => {
    const account = s.t.accounts['Standard admin']!;
    const login = await supertest(s.t.sandbox.app).post('/login').type('form').send({ email: account.email, password: account.password }).expect(303);
    const cookie = `sandbox.sid=${sessionCookie(login)}`;
    const sessionId = decodeURIComponent(sessionCookie(login)!).replace(/^s:/, '').split('.')[0]!;
    const page = await supertest(s.t.sandbox.app).get('/admin/portal').set('Cookie', cookie).expect(200);
    const res = await supertest(s.t.sandbox.app).post('/admin/registration-page').set('Cookie', cookie).type('form')
      .send({ ...valid, accentColour: 'teal', heading: 'Typed, not saved', _csrf: csrfOf(page.text), returnTo: '/admin/portal' }).expect(303);
    const id = /selfreg_branding_draft=([A-Za-z0-9_-]{24})/.exec(res.headers.location!)![1];
    // Another instance has nothing of this one's memory, only the same database.
    const elsewhere = new KnexFormDrafts(s.knex);
    const draft = await elsewhere.read(sessionId, 'branding', id);
    expect(draft).to.deep.include({ problems: { accentColour: 'colour' } });
    expect((draft!.values as Record<string, string>)).to.deep.include({ accentColour: 'teal', heading: 'Typed, not saved' });
    const panel = panelOf((await supertest(s.t.sandbox.app).get(res.headers.location!).set('Cookie', cookie).expect(200)).text)!;
    expect(panel).to.contain('value="teal"').and.to.contain('value="Typed, not saved"').and.to.contain('The page was not saved.');
  });
});
