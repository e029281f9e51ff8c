/** For --debug: an access key id shown as `AKIA…WXYZ`, never more (secrets are never shown at all). */
export function maskKeyId(accessKeyId: string): string {
  return accessKeyId.length <= 8 ? '…' : `${accessKeyId.slice(0, 4)}…${accessKeyId.slice(-4)}`;
}
