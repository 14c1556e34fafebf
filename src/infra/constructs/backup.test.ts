import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { Backup } from './backup.js';

let template: Template;
// The first synth of a file loads most of aws-cdk-lib: once, outside the tests' own time limit.
beforeAll(() => {
  const stack = new Stack(undefined, 'Backups', { env: { account: '123456789012', region: 'eu-west-1' } });
  new Backup(stack, 'Backup', { table: TableV2.fromTableName(stack, 'Table', 'storefront') });
  template = Template.fromStack(stack);
}, 120_000);

describe('the table backup', () => {
  it('backs up daily at 05:00 UTC and deletes each backup after 35 days', () => {
    template.hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: {
        BackupPlanRule: [
          Match.objectLike({
            RuleName: 'Daily',
            ScheduleExpression: 'cron(0 5 * * ? *)',
            Lifecycle: { DeleteAfterDays: 35 },
          }),
        ],
      },
    });
  });

  it('selects the table and nothing else', () => {
    const [selection] = Object.values(template.findResources('AWS::Backup::BackupSelection'));
    const resources = selection?.Properties.BackupSelection.Resources;
    expect(resources).toHaveLength(1);
    expect(JSON.stringify(resources)).toContain(':dynamodb:eu-west-1:123456789012:table/storefront');
  });

  it("runs as a role AWS Backup assumes, with AWS Backup's service role policy", () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Principal: { Service: 'backup.amazonaws.com' } })],
      },
      ManagedPolicyArns: [
        Match.objectLike({
          'Fn::Join': [
            '',
            Match.arrayWith([':iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup']),
          ],
        }),
      ],
    });
  });
});
