import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';

/** The cdk-nag pack every Growstack synth is checked against; findings land in validation-report.json. */
export const NAG_PACK = 'AwsSolutions';

/**
 * Attaches cdk-nag's AwsSolutions pack as a CDK validation plugin (the cdk-nag 3 API), so every
 * synth of the app is checked: https://github.com/cdklabs/cdk-nag#usage
 */
export function addNagChecks(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
}
