import { readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';
// Probing *another* process is an OS query like reading /proc, not this process's own state (which comes from Deps).
import { kill } from 'node:process';

/**
 * What tells a running process apart from a later one with the same PID: written into lock files by holders
 * and checked by waiters. Linux gives all of it; elsewhere only `pid` and `host` (liveness = the PID exists).
 */
export interface ProcessIdentity {
  pid: number;
  host: string;
  /** Linux: start time in clock ticks since boot (/proc/<pid>/stat field 22); a recycled PID has another. */
  start?: string;
  /** Linux: /proc/sys/kernel/random/boot_id; anything recorded under another boot is gone. */
  boot?: string;
  /** Linux: the PID namespace (/proc/self/ns/pid); a container's PIDs cannot be checked from the host or vice versa. */
  pidns?: string;
}

export type ProcessState =
  | { kind: 'running' }
  /** Stopped by a signal (Ctrl-Z, a debugger): alive, but only a person can make it go on. */
  | { kind: 'stopped' }
  | { kind: 'gone'; why: string };

interface StatFields {
  state: string;
  start: string;
}

/** /proc/<pid>/stat: the command name (field 2) may hold spaces and parentheses, so split after the last ')'. */
function readStat(pid: number): StatFields | 'absent' | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'absent' : undefined;
  }
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state), so field 22 (starttime) is fields[19].
  const state = fields[0];
  const start = fields[19];
  return state !== undefined && start !== undefined ? { state, start } : undefined;
}

function readTrimmed(path: string): string | undefined {
  try {
    return readFileSync(path, 'latin1').trim() || undefined;
  } catch {
    return undefined;
  }
}

function readLink(path: string): string | undefined {
  try {
    return readlinkSync(path);
  } catch {
    return undefined;
  }
}

/** This process (`pid` from Deps), as lock files record it. */
export function processIdentity(pid: number, platform: NodeJS.Platform): ProcessIdentity {
  const identity: ProcessIdentity = { pid, host: hostname() };
  if (platform !== 'linux') return identity;
  const stat = readStat(pid);
  const boot = readTrimmed('/proc/sys/kernel/random/boot_id');
  const pidns = readLink('/proc/self/ns/pid');
  if (typeof stat === 'object') identity.start = stat.start;
  if (boot !== undefined) identity.boot = boot;
  if (pidns !== undefined) identity.pidns = pidns;
  return identity;
}

/**
 * Whether the process a lock file names still runs, checked from a process with identity `self`. The caller
 * has already established that PIDs are comparable (same host and, when known, same boot and PID namespace).
 * Linux: /proc/<pid>/stat (gone, a zombie, another process under a recycled PID, stopped); elsewhere
 * `kill(pid, 0)`, which cannot see PID reuse (documented in docs/troubleshooting.md).
 */
export function probeProcess(holder: ProcessIdentity, platform: NodeJS.Platform): ProcessState {
  if (platform === 'linux') {
    const stat = readStat(holder.pid);
    if (stat === 'absent') return { kind: 'gone', why: `process ${holder.pid} has exited` };
    if (stat !== undefined) {
      if (holder.start !== undefined && stat.start !== holder.start) {
        return { kind: 'gone', why: `process ${holder.pid} has exited (the PID now belongs to another process)` };
      }
      if (stat.state === 'Z' || stat.state === 'X') return { kind: 'gone', why: `process ${holder.pid} has exited` };
      if (stat.state === 'T' || stat.state === 't') return { kind: 'stopped' };
      return { kind: 'running' };
    }
    // no /proc (a restricted sandbox): fall through to kill(0)
  }
  try {
    kill(holder.pid, 0);
    return { kind: 'running' };
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    if ((error as NodeJS.ErrnoException).code === 'EPERM') return { kind: 'running' };
    return { kind: 'gone', why: `process ${holder.pid} has exited` };
  }
}
