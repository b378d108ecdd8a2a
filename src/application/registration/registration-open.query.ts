import type { PublicConfigReader } from './public-config.js';

/** Whether the portal's self-registration switch is on (the plain form shows only then). */
export class RegistrationOpenQuery {
  constructor(private readonly config: PublicConfigReader) {}

  async execute(): Promise<boolean> {
    return (await this.config.read()).portalEnabled;
  }
}
