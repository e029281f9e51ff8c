// A plain AWS SDK for JS v3 script, as a user would write it: default credential chain, no swrole code.
// Used by the demo under `swrole exec` (env credentials) and with AWS_PROFILE=<x>.swrole (credential_process).
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';

const client = new STSClient({});
const me = await client.send(new GetCallerIdentityCommand({}));
process.stdout.write(`${JSON.stringify({ Account: me.Account, Arn: me.Arn })}\n`);
