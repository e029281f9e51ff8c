// The script both model mocks (mock-anthropic.ts, mock-bedrock.ts) play to the real Claude Code binary: every
// turn of the main conversation (a request that offers the Bash tool) is answered with one Bash `tool_use`
// running the next scripted command, then with a final text. Claude Code sends the whole history each turn, so
// the `tool_result` of every step is read from the request and recorded: a test gets the exact output of each
// command, as the model would read it. Side requests (titles, quota probes: no Bash tool offered) get a text.

export interface ToolResult {
  command: string;
  /** The tool_result text as the model reads it (Claude Code's rendering of stdout, stderr and exit code). */
  output: string;
  isError: boolean;
}

/** The part of a Messages API request body the script reads (the Bedrock body is the same minus model/stream). */
export interface MessagesBody {
  model?: string;
  stream?: boolean;
  tools?: Array<{ name?: string }>;
  messages?: Array<{ role: string; content: string | ContentBlock[] }>;
}
interface ContentBlock {
  type: string;
  tool_use_id?: string;
  content?: string | Array<{ type: string; text?: string }>;
  is_error?: boolean;
}

export type Reply = { kind: 'tool'; id: string; command: string } | { kind: 'text'; text: string };

export interface Script {
  /** The next reply for a request body; records the tool_results it carries. */
  reply(body: MessagesBody): Reply;
  /** One entry per scripted command that Claude Code answered, in order. */
  results(): ToolResult[];
}

const TOOL_ID = 'toolu_swrole_';

const textOf = (content: ContentBlock['content']): string =>
  typeof content === 'string' ? content : (content ?? []).map((c) => (c.type === 'text' ? (c.text ?? '') : `[${c.type}]`)).join('\n');

export function createScript(commands: readonly string[], finalText = 'done'): Script {
  const results = new Map<number, ToolResult>();
  return {
    reply(body) {
      if (!(body.tools ?? []).some((t) => t.name === 'Bash')) return { kind: 'text', text: 'ok' };
      let next = 0;
      for (const message of body.messages ?? []) {
        if (message.role !== 'user' || typeof message.content === 'string') continue;
        for (const block of message.content) {
          if (block.type !== 'tool_result' || !block.tool_use_id?.startsWith(TOOL_ID)) continue;
          const step = Number(block.tool_use_id.slice(TOOL_ID.length));
          if (!(step >= 0 && step < commands.length)) continue;
          next = Math.max(next, step + 1);
          if (!results.has(step))
            results.set(step, { command: commands[step]!, output: textOf(block.content), isError: block.is_error === true });
        }
      }
      if (next < commands.length) return { kind: 'tool', id: `${TOOL_ID}${next}`, command: commands[next]! };
      return { kind: 'text', text: finalText };
    },
    results: () => [...results.entries()].sort(([a], [b]) => a - b).map(([, r]) => r),
  };
}

/** A scripted command that starts with this marker asks Claude Code to run it outside its sandbox (`dangerouslyDisableSandbox`). */
export const UNSANDBOXED = '#UNSANDBOXED ';

/** A scripted step `#READ PATH` is a call of Claude Code's own Read tool (in-process, not a Bash command) on PATH. */
export const READ_TOOL = '#READ ';

/** `#WRITE PATH`: Claude Code's own Write tool writes `{}` to PATH. */
export const WRITE_TOOL = '#WRITE ';

/** The tool and its input for a scripted step: Bash (sandboxed or not) or Read. */
const toolCall = (id: string, command: string): { name: string; input: Record<string, unknown> } => {
  if (command.startsWith(READ_TOOL)) return { name: 'Read', input: { file_path: command.slice(READ_TOOL.length) } };
  if (command.startsWith(WRITE_TOOL)) return { name: 'Write', input: { file_path: command.slice(WRITE_TOOL.length), content: '{}\n' } };
  if (command.startsWith(UNSANDBOXED))
    return {
      name: 'Bash',
      input: { command: command.slice(UNSANDBOXED.length), description: `scripted step ${id}`, dangerouslyDisableSandbox: true },
    };
  return { name: 'Bash', input: { command, description: `scripted step ${id}` } };
};

const USAGE = { input_tokens: 10, output_tokens: 5, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };

/** A whole assistant message (the non-streaming answer). */
export function assistantMessage(model: string, reply: Reply): Record<string, unknown> {
  return {
    id: `msg_swrole_${Math.random().toString(36).slice(2, 12)}`,
    type: 'message',
    role: 'assistant',
    model,
    content:
      reply.kind === 'tool'
        ? [{ type: 'tool_use', id: reply.id, ...toolCall(reply.id, reply.command) }]
        : [{ type: 'text', text: reply.text }],
    stop_reason: reply.kind === 'tool' ? 'tool_use' : 'end_turn',
    stop_sequence: null,
    usage: USAGE,
  };
}

/** The same message as the Messages API streams it: the events, in order (each has its `type`). */
export function streamEvents(model: string, reply: Reply): Array<Record<string, unknown> & { type: string }> {
  const full = assistantMessage(model, reply);
  const start =
    reply.kind === 'tool'
      ? { type: 'tool_use', id: reply.id, name: toolCall(reply.id, reply.command).name, input: {} }
      : { type: 'text', text: '' };
  const delta =
    reply.kind === 'tool'
      ? { type: 'input_json_delta', partial_json: JSON.stringify(toolCall(reply.id, reply.command).input) }
      : { type: 'text_delta', text: reply.text };
  return [
    { type: 'message_start', message: { ...full, content: [], stop_reason: null, usage: { ...USAGE, output_tokens: 1 } } },
    { type: 'content_block_start', index: 0, content_block: start },
    { type: 'content_block_delta', index: 0, delta },
    { type: 'content_block_stop', index: 0 },
    { type: 'message_delta', delta: { stop_reason: full.stop_reason, stop_sequence: null }, usage: { output_tokens: 5 } },
    { type: 'message_stop' },
  ];
}
