import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, it } from 'vitest';
import { Budget } from './budget.js';

let template: Template;
// The first synth of a file loads most of aws-cdk-lib: once, outside the tests' own time limit.
beforeAll(() => {
  const stack = new Stack();
  new Budget(stack, 'Budget', { monthlyUsd: 250, email: 'ops@example.com' });
  template = Template.fromStack(stack);
}, 120_000);

describe('the cost budget', () => {
  it('caps monthly cost at the configured amount in US dollars', () => {
    template.hasResourceProperties('AWS::Budgets::Budget', {
      Budget: { BudgetType: 'COST', TimeUnit: 'MONTHLY', BudgetLimit: { Amount: 250, Unit: 'USD' } },
    });
  });

  it('e-mails the address when actual spend passes 80 % and again past 100 %', () => {
    const notify = (Threshold: number) => ({
      Notification: {
        NotificationType: 'ACTUAL',
        ComparisonOperator: 'GREATER_THAN',
        Threshold,
        ThresholdType: 'PERCENTAGE',
      },
      Subscribers: [{ SubscriptionType: 'EMAIL', Address: 'ops@example.com' }],
    });
    template.hasResourceProperties('AWS::Budgets::Budget', {
      NotificationsWithSubscribers: [notify(80), notify(100)],
    });
  });
});
