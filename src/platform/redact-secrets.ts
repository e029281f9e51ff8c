/** AWS messages never contain secret keys or tokens, but anything that looks like one (40+ base64 characters) is cut, to be safe. */
export function redactSecrets(text: string): string {
  return text.replace(/[A-Za-z0-9/+=]{40,}/g, '…');
}
