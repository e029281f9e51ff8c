// Query-protocol XML bodies (docs/reference/aws-behaviour.md §6.2): STS namespace, 2-space indent, trailing newline.
import type { StsError } from './sts-error.js';

export const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';

/** An element tree: a string is a text node; an object is ordered children; undefined children are omitted. */
export type XmlNode = string | number | { [name: string]: XmlNode | undefined };

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

function renderChildren(node: { [name: string]: XmlNode | undefined }, indent: string): string {
  let out = '';
  for (const [name, child] of Object.entries(node)) {
    if (child === undefined) continue;
    if (typeof child === 'object') out += `${indent}<${name}>\n${renderChildren(child, `${indent}  `)}${indent}</${name}>\n`;
    else out += `${indent}<${name}>${escapeXml(String(child))}</${name}>\n`;
  }
  return out;
}

export function renderSuccess(action: string, result: { [name: string]: XmlNode | undefined }, requestId: string): string {
  return (
    `<${action}Response xmlns="${STS_NAMESPACE}">\n` +
    renderChildren({ [`${action}Result`]: result, ResponseMetadata: { RequestId: requestId } }, '  ') +
    `</${action}Response>\n`
  );
}

export function renderError(error: StsError, requestId: string): string {
  return (
    `<ErrorResponse xmlns="${STS_NAMESPACE}">\n` +
    renderChildren({ Error: { Type: error.type, Code: error.code, Message: error.message }, RequestId: requestId }, '  ') +
    '</ErrorResponse>\n'
  );
}
