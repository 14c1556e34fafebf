import { GrowstackError } from '../contracts/errors.js';

/**
 * The CDK app cannot build what the settings ask for: a stage, setting or lookup that synthesis
 * cannot resolve. `setting` names what to change where one setting is to blame; the CLI prints
 * the message in one line and exits 1.
 */
export class SynthesisError extends GrowstackError {
  readonly setting: string | undefined;
  constructor(message: string, options?: ErrorOptions & { readonly setting?: string }) {
    super(message, options);
    this.setting = options?.setting;
  }
}
