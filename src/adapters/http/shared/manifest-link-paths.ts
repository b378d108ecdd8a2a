import { inject, injectable } from 'inversify';
import type { LinkPathsPort } from '../../../domain/ports/link-paths.port.js';
import type { Routes } from '../../../manifest/routes.js';
import { TYPES } from '../../../types.js';
import type { KnowledgeRef } from '../../../domain/shared/knowledge.js';
import { itemParam } from './item-param.js';

/** The link paths the manifest declares (`links.invitation`, `links.signIn`, `register.deepLink`, `admin.registrationsReport`). */
@injectable()
export class ManifestLinkPaths implements LinkPathsPort {
  constructor(@inject(TYPES.Routes) private readonly routes: Routes) {}

  invitation(token: string): string {
    return this.routes.path('links', 'invitation', { token });
  }

  signIn(token: string): string {
    return this.routes.path('links', 'signIn', { token });
  }

  deepLink(code: string): string {
    return this.routes.path('register', 'deepLink', { code });
  }

  registrationsReport(item: KnowledgeRef): string {
    return `${this.routes.path('admin', 'registrationsReport')}?item=${encodeURIComponent(itemParam(item))}`;
  }
}
