// Parameter constraints from the STS model (docs/reference/aws-behaviour.md §6.3), reported the way STS does:
// "N validation error(s) detected: Value '…' at '<camelCaseMember>' failed to satisfy constraint: Member must …".
import { validation } from './sts-error.js';

export const NAME_PATTERN = { re: /^[\w+=,.@-]*$/, text: '[\\w+=,.@-]*' };
export const EXTERNAL_ID_PATTERN = { re: /^[\w+=,.@:/-]*$/, text: '[\\w+=,.@:\\/-]*' };
export const SERIAL_PATTERN = { re: /^[\w+=/:,.@-]*$/, text: '[\\w+=/:,.@-]*' };
export const TOKEN_CODE_PATTERN = { re: /^\d*$/, text: '[\\d]*' };

export type Params = Record<string, string>;

export class ParamValidator {
  private readonly errors: string[] = [];

  constructor(private readonly params: Params) {}

  private fail(member: string, value: string | null, constraint: string): void {
    this.errors.push(
      `Value ${value === null ? 'null' : `'${value}'`} at '${member}' failed to satisfy constraint: Member must ${constraint}`,
    );
  }

  /** A string parameter; `name` is the wire name (RoleArn), reported as camelCase (roleArn). */
  string(
    name: string,
    opts: { required?: boolean; min?: number; max?: number; pattern?: { re: RegExp; text: string } },
  ): string | undefined {
    const member = name[0]!.toLowerCase() + name.slice(1);
    const value = this.params[name];
    if (value === undefined) {
      if (opts.required) this.fail(member, null, 'not be null');
      return undefined;
    }
    if (opts.min !== undefined && value.length < opts.min) this.fail(member, value, `have length greater than or equal to ${opts.min}`);
    if (opts.max !== undefined && value.length > opts.max) this.fail(member, value, `have length less than or equal to ${opts.max}`);
    if (opts.pattern && !opts.pattern.re.test(value)) this.fail(member, value, `satisfy regular expression pattern: ${opts.pattern.text}`);
    return value;
  }

  integer(name: string, min: number, max: number): number | undefined {
    const member = name[0]!.toLowerCase() + name.slice(1);
    const value = this.params[name];
    if (value === undefined) return undefined;
    if (!/^-?\d+$/.test(value)) {
      this.fail(member, value, 'be an integer');
      return undefined;
    }
    const n = Number(value);
    if (n < min) this.fail(member, value, `have value greater than or equal to ${min}`);
    if (n > max) this.fail(member, value, `have value less than or equal to ${max}`);
    return n;
  }

  /** `Name.member.N` (1-based) values, in order. */
  list(name: string, field?: string): string[] {
    const out: string[] = [];
    for (let i = 1; ; i++) {
      const value = this.params[`${name}.member.${i}${field ? `.${field}` : ''}`];
      if (value === undefined) return out;
      out.push(value);
    }
  }

  check(condition: boolean, member: string, value: string, constraint: string): void {
    if (!condition) this.fail(member, value, constraint);
  }

  throwIfAny(): void {
    const n = this.errors.length;
    if (n > 0) throw validation(`${n} validation error${n > 1 ? 's' : ''} detected: ${this.errors.join('; ')}`);
  }
}
