// A stand-in for `swrole exec`: runs argv through runChild with this process's env and exits with its result.
// The relay test signals *this* process and checks that the child saw the signal.
import { runChild } from '../../src/exec/run-child.js';
import { isSwroleError } from '../../src/errors.js';

const [command, ...args] = process.argv.slice(2);
if (command === undefined) throw new Error('usage: exec-runner COMMAND [ARGS...]');
const env = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));
try {
  process.exitCode = await runChild({ command, args, env, stdio: 'inherit' });
} catch (error) {
  if (!isSwroleError(error)) throw error;
  process.stderr.write(`${error.code}\n`);
  process.exitCode = error.exit;
}
