import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { Mail, Mailer } from '../ports.js';
import { type AwsClientOptions, awsClientConfig } from './aws-client-config.js';

/** The Mailer port on Amazon SES v2 (locally: aws-ses-v2-local at `endpoint`). */
export class SesMailer implements Mailer {
  private readonly client: SESv2Client;

  constructor(
    private readonly from: string,
    options: AwsClientOptions,
  ) {
    this.client = new SESv2Client(awsClientConfig(options));
  }

  async send(mail: Mail): Promise<void> {
    await this.client.send(
      new SendEmailCommand({
        FromEmailAddress: this.from,
        Destination: { ToAddresses: [mail.to] },
        Content: { Simple: { Subject: { Data: mail.subject }, Body: { Text: { Data: mail.text } } } },
      }),
    );
  }
}
