/** The SDK-backed IamGateway (@aws-sdk/client-iam, bundled in its own chunk); loaded by loadIamGateway only. */
import { CreateAccessKeyCommand, DeleteAccessKeyCommand, IAMClient, ListAccessKeysCommand } from '@aws-sdk/client-iam';
import { state as sdkWarningState } from '@aws-sdk/core/client';
import type { Credentials } from '../domain/credentials.js';
import type { IamGateway } from './iam-gateway.js';
import type { StsTransport } from './resolve-sts-transport.js';
import { createStsRequestHandler } from './create-request-handler.js';

sdkWarningState.warningEmitted = true;

export function createSdkIamGateway(o: { url: string; clockOffsetMs: number; transport: StsTransport }): IamGateway {
  const requestHandler = createStsRequestHandler(o.url, o.transport, { connectMs: 3000, requestMs: 10_000 });
  const client = (caller: Credentials) =>
    new IAMClient({
      region: 'us-east-1',
      endpoint: o.url,
      maxAttempts: 2,
      systemClockOffset: o.clockOffsetMs,
      requestHandler,
      credentials: { accessKeyId: caller.accessKeyId, secretAccessKey: caller.secretAccessKey, sessionToken: caller.sessionToken },
    });
  return {
    async listAccessKeys(caller) {
      const out = await client(caller).send(new ListAccessKeysCommand({}));
      const keys = (out.AccessKeyMetadata ?? []).map((k) => ({ accessKeyId: k.AccessKeyId ?? '', status: k.Status ?? '' }));
      return { userName: out.AccessKeyMetadata?.[0]?.UserName, keys };
    },
    async createAccessKey(caller) {
      const out = await client(caller).send(new CreateAccessKeyCommand({}));
      const key = out.AccessKey;
      if (!key?.AccessKeyId || !key.SecretAccessKey) throw new Error('IAM returned no access key');
      return { userName: key.UserName ?? '', accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey };
    },
    async deleteAccessKey(caller, accessKeyId) {
      await client(caller).send(new DeleteAccessKeyCommand({ AccessKeyId: accessKeyId }));
    },
  };
}
