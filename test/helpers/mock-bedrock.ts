// A loopback mock of the Bedrock runtime (ANTHROPIC_BEDROCK_BASE_URL) for Claude Code with
// CLAUDE_CODE_USE_BEDROCK=1. It plays the same Bash script as mock-anthropic.ts and logs which access key signed
// each request (SigV4 `Authorization: AWS4-HMAC-SHA256 Credential=AKID/date/region/bedrock/aws4_request, …`),
// which is what tells whose credentials Claude Code's own Bedrock client used. Signatures are not verified.
// `POST /model/{id}/invoke-with-response-stream` answers in the AWS event-stream framing Bedrock uses
// (application/vnd.amazon.eventstream, one `chunk` event per Messages API stream event, base64 in `bytes`);
// `POST /model/{id}/invoke` answers the plain message (2.1.332 probes models with it), and the control-plane
// `GET /inference-profiles` (ListInferenceProfiles, which it calls at start through the same base URL) an empty
// list. Anything else is 404 and listed in unexpected().
import type { IncomingMessage } from 'node:http';
import { crc32 } from 'node:zlib';
import { listenLoopback, sendJson } from './loopback-server.js';
import { assistantMessage, createScript, streamEvents, type MessagesBody, type ToolResult } from './scripted-turns.js';

export interface SignedCall {
  path: string;
  /** The access key id from the SigV4 credential scope, or null when the request was not signed. */
  accessKeyId: string | null;
  region: string | null;
  service: string | null;
  hasSessionToken: boolean;
}

export interface MockBedrock {
  url: string;
  results(): ToolResult[];
  calls(): SignedCall[];
  unexpected(): string[];
  close(): Promise<void>;
}

/** `Credential=AKID/20260101/us-east-1/bedrock/aws4_request` → its parts. */
export function parseSigV4Credential(authorization: string | undefined): Pick<SignedCall, 'accessKeyId' | 'region' | 'service'> {
  const m = /Credential=([^/,\s]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(authorization ?? '');
  return { accessKeyId: m?.[1] ?? null, region: m?.[2] ?? null, service: m?.[3] ?? null };
}

function header(name: string, value: string): Buffer {
  const n = Buffer.from(name, 'utf8');
  const v = Buffer.from(value, 'utf8');
  const out = Buffer.alloc(1 + n.length + 1 + 2 + v.length);
  out.writeUInt8(n.length, 0);
  n.copy(out, 1);
  out.writeUInt8(7, 1 + n.length); // string
  out.writeUInt16BE(v.length, 2 + n.length);
  v.copy(out, 4 + n.length);
  return out;
}

/** One AWS event-stream message: prelude (lengths + CRC), headers, payload, message CRC. */
export function eventStreamMessage(headers: Record<string, string>, payload: Buffer): Buffer {
  const head = Buffer.concat(Object.entries(headers).map(([k, v]) => header(k, v)));
  const total = 12 + head.length + payload.length + 4;
  const prelude = Buffer.alloc(12);
  prelude.writeUInt32BE(total, 0);
  prelude.writeUInt32BE(head.length, 4);
  prelude.writeUInt32BE(crc32(prelude.subarray(0, 8)), 8);
  const body = Buffer.concat([prelude, head, payload]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body), 0);
  return Buffer.concat([body, crc]);
}

const chunk = (event: unknown) =>
  eventStreamMessage(
    { ':event-type': 'chunk', ':content-type': 'application/json', ':message-type': 'event' },
    Buffer.from(JSON.stringify({ bytes: Buffer.from(JSON.stringify(event)).toString('base64') })),
  );

export async function startMockBedrock(commands: readonly string[]): Promise<MockBedrock> {
  const script = createScript(commands);
  const calls: SignedCall[] = [];
  const unexpected: string[] = [];
  const onError = (req: IncomingMessage, error: unknown) => unexpected.push(`${req.method} ${req.url}: ${String(error)}`);
  const server = await listenLoopback((req, res, raw) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const auth = req.headers.authorization;
    calls.push({ path, ...parseSigV4Credential(auth), hasSessionToken: req.headers['x-amz-security-token'] !== undefined });
    if (req.method === 'GET' && path === '/inference-profiles') return sendJson(res, 200, { inferenceProfileSummaries: [] });
    const m = /^\/model\/([^/]+)\/(invoke|invoke-with-response-stream)$/.exec(path);
    if (req.method !== 'POST' || m === null) {
      unexpected.push(`${req.method} ${req.url}`);
      return sendJson(res, 404, { message: `mock: no ${req.method} ${path}` });
    }
    const model = decodeURIComponent(m[1]!);
    const reply = script.reply(JSON.parse(raw.toString('utf8')) as MessagesBody);
    if (m[2] === 'invoke') return sendJson(res, 200, assistantMessage(model, reply));
    res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-requestid': 'swrole-mock-bedrock' });
    res.end(Buffer.concat(streamEvents(model, reply).map(chunk)));
  }, onError);
  return {
    url: `http://127.0.0.1:${server.port}`,
    results: () => script.results(),
    calls: () => calls.map((c) => ({ ...c })),
    unexpected: () => [...unexpected],
    close: () => server.close(),
  };
}
