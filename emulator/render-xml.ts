// Query-protocol XML bodies (docs/reference/aws-behaviour.md §6.2): the service's namespace (STS, IAM), 2-space
// indent, trailing newline.
import type { StsError } from './sts-error.js';

export const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';
export const IAM_NAMESPACE = 'https://iam.amazonaws.com/doc/2010-05-08/';

/**
 * An element tree: a string is a text node; an object is ordered children; undefined children are omitted; an
 * array repeats its element once per item, none for an empty one (a Query list: `{ member: [a, b] }` →
 * `<member>…</member><member>…</member>`).
 */
export type XmlNode = string | number | XmlNode[] | { [name: string]: XmlNode | undefined };

function renderElement(name: string, child: XmlNode, indent: string): string {
  if (Array.isArray(child)) return child.map((item) => renderElement(name, item, indent)).join('');
  if (typeof child === 'object') return `${indent}<${name}>\n${renderChildren(child, `${indent}  `)}${indent}</${name}>\n`;
  return `${indent}<${name}>${escapeXml(String(child))}</${name}>\n`;
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

function renderChildren(node: { [name: string]: XmlNode | undefined }, indent: string): string {
  let out = '';
  for (const [name, child] of Object.entries(node)) {
    if (child === undefined) continue;
    out += renderElement(name, child, indent);
  }
  return out;
}

export function renderSuccess(
  action: string,
  result: { [name: string]: XmlNode | undefined },
  requestId: string,
  namespace: string = STS_NAMESPACE,
): string {
  return (
    `<${action}Response xmlns="${namespace}">\n` +
    renderChildren({ [`${action}Result`]: result, ResponseMetadata: { RequestId: requestId } }, '  ') +
    `</${action}Response>\n`
  );
}

export function renderError(error: StsError, requestId: string, namespace: string = STS_NAMESPACE): string {
  return (
    `<ErrorResponse xmlns="${namespace}">\n` +
    renderChildren({ Error: { Type: error.type, Code: error.code, Message: error.message }, RequestId: requestId }, '  ') +
    '</ErrorResponse>\n'
  );
}
