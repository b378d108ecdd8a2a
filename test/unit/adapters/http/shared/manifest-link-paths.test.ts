/* The emailed links' paths are the ones plugin/manifest.json declares; the unit tests' fake agrees with it. */
import { expect } from 'chai';
import { ManifestLinkPaths } from '../../../../../src/adapters/http/shared/manifest-link-paths.js';
import { PLUGIN_ROOT } from '../../../../../src/adapters/views.js';
import { readManifest } from '../../../../../src/manifest/manifest.js';
import { Routes } from '../../../../../src/manifest/routes.js';
import { FakeLinkPaths } from '../../../../support/fakes/index.js';

describe('adapters/http/shared/ManifestLinkPaths', () => {
  const paths = new ManifestLinkPaths(new Routes(readManifest(PLUGIN_ROOT)));
  const SECRET = 'Secret_000000000000000000000000000000000001';

  it('answers the invitation, sign-in and deep-link paths the manifest declares', () => {
    expect(paths.invitation(SECRET)).to.equal(`/self-registration/invitation/${SECRET}`);
    expect(paths.signIn(SECRET)).to.equal(`/self-registration/sign-in/${SECRET}`);
    expect(paths.deepLink('ABCD-EFGH-JKMN')).to.equal('/register/ABCD-EFGH-JKMN');
    expect(paths.deepLink('a b/c')).to.equal('/register/a%20b%2Fc');
  });

  it('agrees with the fake the application tests use', () => {
    const fake = new FakeLinkPaths();
    expect(fake.invitation(SECRET)).to.equal(paths.invitation(SECRET));
    expect(fake.signIn(SECRET)).to.equal(paths.signIn(SECRET));
    expect(fake.deepLink('ABCD-EFGH-JKMN')).to.equal(paths.deepLink('ABCD-EFGH-JKMN'));
  });

  it('fails loudly when the manifest does not declare a link path', () => {
    const routes = new Routes({ routes: [{ id: 'links', kind: 'public', mount: '/self-registration', paths: { signIn: '/sign-in/{token}' } }] } as never);
    const partial = new ManifestLinkPaths(routes);
    expect(partial.signIn(SECRET)).to.equal(`/self-registration/sign-in/${SECRET}`);
    expect(() => partial.invitation(SECRET)).to.throw(/declares no path "invitation" under route "links"/);
    expect(() => partial.deepLink('X')).to.throw(/declares no route "register"/);
  });
});
