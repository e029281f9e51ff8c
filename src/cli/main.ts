import { createProcessDeps } from './create-deps.js';
import { COMMANDS } from './command-table.js';
import { reportError } from './report-error.js';
import { tryFastPath } from './fast-path.js';
import { EXIT } from '../errors.js';
import { findCommand } from '../registry/command-registry.js';
import { wantsHelp } from '../registry/split-command-line.js';

const VERSION = '0.1.0';

function renderHelp(): string {
  const visible = Object.entries(COMMANDS).filter(([name]) => !name.startsWith('__'));
  const width = Math.max(...visible.map(([n]) => n.length));
  const lines = visible.map(([name, entry]) => `  ${name.padEnd(width)}  ${entry.summary}`);
  return `swrole — switch AWS IAM roles for people and AI coding agents

Usage: swrole <command> [options]

Commands:
${lines.join('\n')}

Options:
  -h, --help     show help (also \`swrole <command> --help\`)
  --version      print the version

Examples:
  swrole list                     every profile in ~/.aws/config and ~/.aws/credentials
  swrole explain prod --json      the resolved chain of profile "prod", as JSON

Environment: AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE, AWS_PROFILE, AWS_DEFAULT_PROFILE, AWS_REGION, AWS_DEFAULT_REGION.
`;
}

async function main(argv: string[]): Promise<number> {
  const deps = createProcessDeps();
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    if (name === 'help' && rest[0] && COMMANDS[rest[0]]) {
      deps.stdout.write((await COMMANDS[rest[0]]!.load()).help);
      return 0;
    }
    (name === undefined ? deps.stderr : deps.stdout).write(renderHelp());
    return name === undefined ? EXIT.usage : 0;
  }
  if (name === '--version' || name === '-v') {
    deps.stdout.write(`${VERSION}\n`);
    return 0;
  }
  try {
    const fast = await tryFastPath(argv, deps);
    if (fast !== undefined) return fast;
  } catch {
    // the fast path is an optimisation only: whatever went wrong, the full path answers (and reports)
  }
  const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!entry) {
    deps.stderr.write(`swrole: unknown command "${name}"\n  hint: run \`swrole --help\` for the list of commands\n`);
    return EXIT.usage;
  }
  try {
    const command = await entry.load();
    // `swrole exec P ls -h` runs `ls -h`: only swrole's own arguments, as the shared parser splits them, ask for help.
    const spec = findCommand(name);
    if (!command.handlesHelp && spec !== undefined && wantsHelp(spec, rest)) {
      deps.stdout.write(command.help);
      return 0;
    }
    return await command.run(rest, deps);
  } catch (error) {
    return reportError(error, deps, argv.includes('--debug'));
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`swrole: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = EXIT.internal;
  },
);
