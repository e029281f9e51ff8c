import { COMMANDS, visibleNames, type CommandSpec } from '../registry/command-registry.js';

/** `  name  summary` lines, aligned, for the visible entries of a table. */
function listing(table: Readonly<Record<string, CommandSpec>>, withSynopsis: boolean): string {
  const rows = visibleNames(table).map((name) => {
    const spec = table[name]!;
    return [withSynopsis && spec.synopsis ? `${name} ${spec.synopsis}` : name, spec.summary] as const;
  });
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, summary]) => `  ${left.padEnd(width)}  ${summary}`).join('\n');
}

/** `swrole --help`: the registry's visible commands. */
export function renderHelp(): string {
  return `swrole — switch AWS IAM roles for people and AI coding agents

Usage: swrole <command> [options]

Commands:
${listing(COMMANDS, false)}

Options:
  -h, --help     show help (also \`swrole <command> --help\`, \`swrole help <command>\`)
  --version      print the version

Examples:
  swrole list                     every profile in ~/.aws/config and ~/.aws/credentials
  swrole explain prod --json      the resolved chain of profile "prod", as JSON

Environment: AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE, AWS_PROFILE, AWS_DEFAULT_PROFILE, AWS_REGION, AWS_DEFAULT_REGION.
`;
}

/** `swrole agent --help`: a group's description and its visible subcommands. */
export function renderGroupHelp(path: string, group: CommandSpec): string {
  return `Usage: swrole ${path} ${group.synopsis ?? 'SUBCOMMAND ...'}

${group.description ?? group.summary}

Subcommands:
${listing(group.subcommands ?? {}, true)}

Run \`swrole ${path} SUBCOMMAND --help\` for the options of each.
`;
}
