/** Credentials as swrole hands them around; `expiration` is ISO 8601 (absent = static, never expires). */
export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: string;
  accountId?: string;
}
