import type { Deps } from '../platform/deps.js';
import { loadAwsConfig } from '../config/load-aws-config.js';

export const help = `Usage: swrole __complete profiles

Hidden helper for the shell completions (swrole shell-init): prints every profile name, one per line.
Prints nothing and exits 0 when the config cannot be read: a completion must never print errors mid-line.
`;

export async function run(args: string[], deps: Deps): Promise<number> {
  if (args[0] !== 'profiles') return 0;
  let names: string[];
  try {
    names = [...loadAwsConfig(deps).profiles.keys()];
  } catch {
    return 0;
  }
  // A name with a newline cannot be completed line by line; botocore names never contain one in practice.
  const lines = names.filter((n) => !n.includes('\n'));
  if (lines.length > 0) deps.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
