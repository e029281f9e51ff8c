import type { Credentials } from '../domain/credentials.js';
import type { CallerIdentity } from '../sts/gateway.js';
import { translateStsError } from '../sts/translate-sts-error.js';
import { withRetry } from '../sts/with-retry.js';
import type { EngineContext } from './engine-options.js';

/** STS GetCallerIdentity with `credentials` (`swrole whoami`): who these credentials are, errors translated. */
export async function getCallerIdentity(
  ctx: Pick<EngineContext, 'gateway' | 'endpoint' | 'transport'> & { plan: { profile: string } },
  credentials: Credentials,
): Promise<CallerIdentity> {
  const gateway = await ctx.gateway();
  try {
    return await withRetry((signal) => gateway.getCallerIdentity(credentials, { signal }));
  } catch (error) {
    throw translateStsError(error, {
      operation: 'GetCallerIdentity',
      profile: ctx.plan.profile,
      endpoint: ctx.endpoint.url,
      transport: ctx.transport,
    });
  }
}
