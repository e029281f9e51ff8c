// A loopback mock of the Anthropic Messages API (ANTHROPIC_BASE_URL) playing a script of Bash commands to the real
// Claude Code binary (scripted-turns.ts). Claude Code 2.1.332 in `-p` mode, with nonessential traffic off, calls
// only `POST /v1/messages` (streaming); count_tokens is answered too. Any other request is answered 404 and listed
// in unexpected(), so a test sees an endpoint it did not know about instead of a silent hang.
import type { IncomingMessage } from 'node:http';
import { listenLoopback, sendJson } from './loopback-server.js';
import { assistantMessage, createScript, streamEvents, type MessagesBody, type ToolResult } from './scripted-turns.js';

export interface MockAnthropic {
  url: string;
  results(): ToolResult[];
  /** `METHOD /path` of every request, in order. */
  requests(): string[];
  unexpected(): string[];
  close(): Promise<void>;
}

export async function startMockAnthropic(commands: readonly string[]): Promise<MockAnthropic> {
  const script = createScript(commands);
  const requests: string[] = [];
  const unexpected: string[] = [];
  const onError = (req: IncomingMessage, error: unknown) => unexpected.push(`${req.method} ${req.url}: ${String(error)}`);
  const server = await listenLoopback((req, res, raw) => {
    const path = (req.url ?? '/').split('?')[0];
    requests.push(`${req.method} ${path}`);
    if (req.method === 'POST' && path === '/v1/messages') {
      const body = JSON.parse(raw.toString('utf8')) as MessagesBody;
      const model = body.model ?? 'claude-mock';
      const reply = script.reply(body);
      if (body.stream !== true) return sendJson(res, 200, assistantMessage(model, reply));
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.end(
        streamEvents(model, reply)
          .map((e) => `event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`)
          .join(''),
      );
      return;
    }
    if (req.method === 'POST' && path === '/v1/messages/count_tokens') return sendJson(res, 200, { input_tokens: 10 });
    unexpected.push(`${req.method} ${req.url}`);
    sendJson(res, 404, { type: 'error', error: { type: 'not_found_error', message: `mock: no ${req.method} ${path}` } });
  }, onError);
  return {
    url: `http://127.0.0.1:${server.port}`,
    results: () => script.results(),
    requests: () => [...requests],
    unexpected: () => [...unexpected],
    close: () => server.close(),
  };
}
