/** One call as the emulator saw it; params never include TokenCode, WebIdentityToken or auth material. */
export interface CallRecord {
  time: string;
  action: string;
  callerArn: string | null;
  params: Record<string, string>;
  /** 'OK' or the error code. */
  code: string;
  status: number;
}
