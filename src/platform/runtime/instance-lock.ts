import { randomUUID } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConflictError } from '../../contracts/errors.js';

/**
 * One running instance per data folder: DynamoDB Local and redis-server keep files there that two
 * processes must not share, and a second start used to kill the first one's DynamoDB Local. The
 * lock file says who holds the folder and where it serves, for people (the refusal names it) and
 * for tools (`growstack backup` reads the DynamoDB endpoint from it).
 */
export interface InstanceRecord {
  readonly pid: number;
  /**
   * The holder's start time as the kernel counts it (/proc/<pid>/stat), so a later process that
   * got the same pid is not taken for the holder; null where there is no /proc.
   */
  readonly processStart: string | null;
  readonly startedAt: string;
  readonly stage: string;
  /** Known once the server listens. */
  readonly port: number | null;
  readonly url: string | null;
  readonly dynamodbEndpoint: string | null;
  /** The stand-ins it runs as child processes (DynamoDB Local, redis-server). */
  readonly children: readonly ChildRecord[];
}

export interface ChildRecord {
  readonly name: string;
  readonly pid: number;
  readonly processStart: string | null;
}

/** Another live instance holds the data folder. */
export class InstanceLockedError extends ConflictError {
  constructor(
    readonly holder: InstanceRecord,
    dataDir: string,
  ) {
    const where = holder.port !== null ? `port ${holder.port}` : 'a port not yet open (still starting)';
    super(
      `${dataDir} is in use by the instance with pid ${holder.pid} on ${where} (stage ${holder.stage}, since ${holder.startedAt}); stop it first, or use another folder with GROWSTACK_DATA_DIR`,
    );
  }
}

export const instanceLockPath = (dataDir: string) => join(dataDir, 'instance.lock');

export interface InstanceLock {
  readonly path: string;
  /** Rewrites the record (the port once listening, a restarted child's pid). */
  update(changes: Partial<Omit<InstanceRecord, 'pid' | 'processStart' | 'startedAt'>>): void;
  record(): InstanceRecord;
  /** Removes the lock file if it is still ours. */
  release(): void;
}

/** The kernel's start time of a process (field 22 of /proc/<pid>/stat), or null. */
export function processStartOf(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count from after its last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

/** Whether the process that wrote `record` (or one of its children) is still that process. */
export function isSameProcess(pid: number, processStart: string | null): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    // Gone, or (EPERM) another user's: not ours either way.
    return false;
  }
  const now = processStartOf(pid);
  // Without /proc (macOS), a live pid is taken at its word.
  if (now === null || processStart === null) return true;
  return now === processStart;
}

/** The record of the live instance holding `dataDir`, or null when none does. */
export function liveInstance(dataDir: string): InstanceRecord | null {
  const record = readRecord(instanceLockPath(dataDir));
  return record && isSameProcess(record.pid, record.processStart) ? record : null;
}

function readRecord(path: string): InstanceRecord | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as InstanceRecord;
  } catch {
    return null;
  }
}

/**
 * Takes the data folder for this process or throws InstanceLockedError naming the holder. The
 * file appears complete or not at all: written aside, then hard-linked into place, which fails
 * when one exists. A lock left by a crashed run is broken: its children that are still the same
 * processes are killed (they hold the database files) and awaited, then the lock is taken.
 */
export async function acquireInstanceLock(
  dataDir: string,
  initial: Pick<InstanceRecord, 'stage'>,
  onStale: (stale: InstanceRecord) => void = () => {},
): Promise<InstanceLock> {
  mkdirSync(dataDir, { recursive: true });
  const path = instanceLockPath(dataDir);
  let current: InstanceRecord = {
    pid: process.pid,
    processStart: processStartOf(process.pid),
    startedAt: new Date().toISOString(),
    stage: initial.stage,
    port: null,
    url: null,
    dynamodbEndpoint: null,
    children: [],
  };
  const writeAside = () => {
    const aside = `${path}.${process.pid}.${randomUUID()}.tmp`;
    writeFileSync(aside, `${JSON.stringify(current, null, 2)}\n`);
    return aside;
  };
  for (let attempt = 0; ; attempt++) {
    const aside = writeAside();
    try {
      linkSync(aside, path);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      rmSync(aside, { force: true });
    }
    const holder = readRecord(path);
    if (holder && isSameProcess(holder.pid, holder.processStart))
      throw new InstanceLockedError(holder, dataDir);
    if (attempt >= 50)
      throw new ConflictError(`${path}: another start is taking this data folder; try again`);
    if (!(await breakStaleLock(path, holder, onStale))) await sleep(100);
  }
  const ours = () => readRecord(path)?.pid === process.pid;
  return {
    path,
    record: () => current,
    update(changes) {
      current = { ...current, ...changes };
      if (!ours()) return;
      // Through a temporary file and a rename (atomic on POSIX): a reader never sees half a record.
      renameSync(writeAside(), path);
    },
    release() {
      if (ours()) rmSync(path, { force: true });
    },
  };
}

/**
 * Removes a stale lock under a second, short-lived lock, so two starts that both found it stale
 * cannot both remove it (the later one would remove the earlier one's new lock). False when
 * another start is breaking it right now.
 */
async function breakStaleLock(
  path: string,
  seen: InstanceRecord | null,
  onStale: (stale: InstanceRecord) => void,
): Promise<boolean> {
  const breaker = `${path}.break`;
  try {
    writeFileSync(breaker, String(process.pid), { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // A breaker older than 10 s was left by a start that died while breaking: clear it.
    const modified = statSync(breaker, { throwIfNoEntry: false })?.mtimeMs;
    if (modified !== undefined && Date.now() - modified > 10_000) rmSync(breaker, { force: true });
    return false;
  }
  try {
    const again = readRecord(path);
    // Replaced meanwhile: look at the new holder instead.
    if (JSON.stringify(again) !== JSON.stringify(seen)) return true;
    if (again) {
      onStale(again);
      await stopStaleChildren(again.children);
    }
    rmSync(path, { force: true });
    return true;
  } finally {
    rmSync(breaker, { force: true });
  }
}

/** Kills the children a crashed instance left (only those /proc proves are still them) and waits. */
async function stopStaleChildren(children: readonly ChildRecord[]): Promise<void> {
  const left = children.filter(
    (child) => processStartOf(child.pid) !== null && isSameProcess(child.pid, child.processStart),
  );
  for (const child of left) {
    try {
      process.kill(child.pid, 'SIGKILL');
    } catch {
      // Gone meanwhile.
    }
  }
  const deadline = Date.now() + 10_000;
  while (left.some((child) => isSameProcess(child.pid, child.processStart)) && Date.now() < deadline) {
    await sleep(50);
  }
}
