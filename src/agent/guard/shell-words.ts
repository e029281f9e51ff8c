/**
 * A small POSIX-ish shell tokenizer for the agent guard: enough to see simple commands and their words the way
 * bash would split them — quotes, backslashes, `&&`, `||`, `;`, `|`, `|&`, `&`, newlines, `( )`, comments,
 * redirections, and the commands inside `$(...)` and backticks. It does not expand anything: a word that
 * depends on a variable or a substitution is marked `dynamic`, and callers decide what that means.
 * It cannot see through eval'd strings built at run time, aliases, functions, or scripts the command runs.
 */
export interface ShellWord {
  text: string;
  /** Contains an unquoted or double-quoted `$` or a backtick: its value is only known at run time. */
  dynamic: boolean;
}

export type SimpleCommand = ShellWord[];

const MAX_DEPTH = 8;

/** Splits `source` into simple commands; commands nested in `$(...)`/backticks come after their parent. */
export function parseShellCommands(source: string, depth = 0): SimpleCommand[] {
  const commands: SimpleCommand[] = [];
  const nested: SimpleCommand[] = [];
  let current: SimpleCommand = [];
  let word: ShellWord | undefined;
  let i = 0;

  const endWord = (): void => {
    if (word !== undefined) current.push(word);
    word = undefined;
  };
  const endCommand = (): void => {
    endWord();
    if (current.length > 0) commands.push(stripRedirections(current));
    current = [];
  };
  const add = (text: string, dynamic = false): void => {
    word ??= { text: '', dynamic: false };
    word.text += text;
    if (dynamic) word.dynamic = true;
  };
  /** Reads a `$(...)` body (i at the `(`), balancing parentheses outside quotes. */
  const readSubstitution = (): string => {
    let level = 0;
    const start = i + 1;
    for (; i < source.length; i++) {
      const c = source[i]!;
      if (c === '\\') i++;
      else if (c === "'") i = Math.max(source.indexOf("'", i + 1), i);
      else if (c === '(') level++;
      else if (c === ')' && --level === 0) return source.slice(start, i++);
    }
    return source.slice(start);
  };
  const inner = (body: string): void => {
    if (depth < MAX_DEPTH) nested.push(...parseShellCommands(body, depth + 1));
  };
  /** `$(...)` or a backquoted command at i (same inside and outside double quotes): parsed as nested commands. */
  const readExpansionOrChar = (c: string): void => {
    if (c === '$' && source[i + 1] === '(') {
      i++;
      const body = readSubstitution();
      inner(body);
      add(`$(${body})`, true);
    } else if (c === '`') {
      const end = source.indexOf('`', i + 1);
      const body = end === -1 ? source.slice(i + 1) : source.slice(i + 1, end);
      inner(body);
      add(`\`${body}\``, true);
      i = end === -1 ? source.length : end + 1;
    } else {
      add(c, c === '$');
      i++;
    }
  };

  while (i < source.length) {
    const c = source[i]!;
    const next = source[i + 1];
    if (c === ' ' || c === '\t') {
      endWord();
      i++;
    } else if (
      c === '\n' ||
      c === ';' ||
      c === '|' ||
      c === '(' ||
      c === ')' ||
      (c === '&' && !/[<>]$/.test(word?.text ?? '') && next !== '>')
    ) {
      endCommand();
      i++;
    } else if (c === '#' && word === undefined) {
      const eol = source.indexOf('\n', i);
      i = eol === -1 ? source.length : eol;
    } else if (c === '\\') {
      if (next !== '\n' && next !== undefined) add(next);
      i += 2;
    } else if (c === "'") {
      const end = source.indexOf("'", i + 1);
      add(end === -1 ? source.slice(i + 1) : source.slice(i + 1, end));
      i = end === -1 ? source.length : end + 1;
    } else if (c === '"') {
      i++;
      add('');
      while (i < source.length && source[i] !== '"') {
        const d = source[i]!;
        if (d === '\\' && i + 1 < source.length && '"\\$`\n'.includes(source[i + 1]!)) {
          if (source[i + 1] !== '\n') add(source[i + 1]!);
          i += 2;
        } else {
          readExpansionOrChar(d);
        }
      }
      i++;
    } else {
      readExpansionOrChar(c);
    }
  }
  endCommand();
  return [...commands, ...nested];
}

/** Drops `>file`, `2>&1`, `< in` and the like, which are not arguments. */
function stripRedirections(words: SimpleCommand): SimpleCommand {
  const out: SimpleCommand = [];
  for (let k = 0; k < words.length; k++) {
    const w = words[k]!;
    const op = /^(\d*|&)(>>|>\||>&|<&|<<<|<<|>|<)(.*)$/.exec(w.text);
    if (op === null) out.push(w);
    else if (op[3] === '') k++;
  }
  return out;
}
