import type { CommandModule } from './command.js';
import { parseOptions } from './parse-options.js';
import { usageError } from '../errors.js';
import { createReporters } from './credential-options.js';
import { listSessions } from '../credentials/list-sessions.js';
import { formatExpiry } from '../output/format-expiry.js';
import { renderTable } from '../output/render-table.js';
import { COMMANDS } from '../registry/command-registry.js';

export const help = `Usage: swrole sessions [--json]

Every cached session, without calling AWS: the MFA sessions of \`swrole login\` and the role sessions made from
them, with the profile, who the credentials are (assumed-role ARN or MFA device), when they expire in your
local time and how long is left, and how they were obtained. Secrets are never shown.

Options:
  --json                an array of {"profile", "kind", "identity", "expiration" (ISO UTC), "secondsLeft", "source"}

Examples:
  swrole sessions
  swrole sessions --json | jq -r '.[] | select(.kind == "mfa") | .expiration'
`;

export async function run(args: string[], deps: Parameters<CommandModule['run']>[1]): Promise<number> {
  const { values, positionals } = parseOptions('sessions', args, COMMANDS.sessions.options);
  if (positionals.length > 0) throw usageError('sessions', `unexpected argument "${positionals[0]}"`);
  const reporters = createReporters(deps, values.debug === true);
  const rows = listSessions(deps, reporters.warn);
  const now = deps.now();
  const left = (expiration: string | null) => (expiration === null ? null : Math.max(0, Math.floor((Date.parse(expiration) - now) / 1000)));
  if (values.json === true) {
    const out = rows.map((r) => ({ ...r, secondsLeft: left(r.expiration) }));
    deps.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return 0;
  }
  if (rows.length === 0) {
    deps.stderr.write('swrole: no cached sessions (`swrole login PROFILE` starts one)\n');
    return 0;
  }
  const expires = (expiration: string | null) =>
    expiration === null ? 'never' : left(expiration) === 0 ? 'expired' : formatExpiry(expiration, now, deps.timeZone);
  deps.stdout.write(
    renderTable(
      ['PROFILE', 'KIND', 'IDENTITY', 'EXPIRES', 'SOURCE'],
      rows.map((r) => [r.profile, r.kind, r.identity, expires(r.expiration), r.source]),
    ),
  );
  return 0;
}
