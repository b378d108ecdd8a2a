import { inject, injectable } from 'inversify';
import { TokenCode } from '../../../domain/tokens/token-code.js';
import type { Routes } from '../../../manifest/routes.js';
import { TYPES } from '../../../types.js';

/** The public pages' own paths, as the manifest declares them (`register` route). */
@injectable()
export class PublicPaths {
  constructor(@inject(TYPES.Routes) private readonly routes: Routes) {}

  /** The plain registration form, e.g. `/register`. */
  form(): string {
    return this.routes.mount('register');
  }

  /** The deep link of a code, e.g. `/register/<code>`: the form with the code filled in. */
  deepLink(code: string): string {
    return this.routes.path('register', 'deepLink', { code });
  }

  /** The one-click page of a code, e.g. `/register/<code>/enrol`. */
  enrol(code: string): string {
    return this.routes.path('register', 'enrol', { code });
  }

  /** The deep link of what was typed when it reads as a code (the form with it filled in); the plain form otherwise. */
  deepLinkFor(typed: string | undefined): string {
    const code = typed ? TokenCode.fromInput(typed) : null;
    return code?.ok ? this.deepLink(code.value.display) : this.form();
  }

  /** The one-click page of what was typed, only when it reads as a code: never arbitrary text in a URL. */
  enrolFor(typed: string | undefined): string | null {
    const code = typed ? TokenCode.fromInput(typed) : null;
    return code?.ok ? this.enrol(code.value.display) : null;
  }
}
