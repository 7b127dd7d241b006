import { existsSync } from 'node:fs';
import { appendFile, readFile, rm } from 'node:fs/promises';

import type { LocalTime } from '../../core/time/localTime';
import { UsageError } from '../command';
import type { RunIdentity } from './runIdentity';
import { describeMismatch, savedPromptFormat } from './runIdentity';
import type { RunPaths } from './runPaths';
import { runPathsFor } from './runPaths';
import type { FileRole, ParsedLine, WindowLines } from './windowLines';
import { readWindowLines, roles, writeAtomically } from './windowLines';

/** What a completed window wrote: its line count in each file, and whether its answer was bad. */
type CompletedWindow = Record<FileRole, number> & { malformed?: true };

interface LedgerData {
  version: 1;
  identity: RunIdentity;
  totalWindows: number;
  /**
   * The "now" that undated sources were stamped from (LocalTime ms), so a resumed run plans the
   * same prompts. Absent in ledgers written before it was kept.
   */
  importTime?: LocalTime;
  /** Window key → how many lines it wrote to each file. Only fully written windows are here. */
  completed: Record<string, CompletedWindow>;
  /** Window key → the last error, for windows that failed after their retries. */
  failed: Record<string, string>;
  finished: boolean;
}

/**
 * The files of one extraction run and the ledger that makes them resumable. A window's lines are
 * appended first, then the ledger (rewritten atomically) records the window as complete: after a
 * crash, lines of windows the ledger does not list are removed on resume and the window is done
 * again, so nothing is lost and nothing is duplicated. Writes are serialized.
 */
export class RunFiles {
  readonly paths: RunPaths;
  /** What the user must be told about the resumed run (e.g. its prompt form changed). */
  readonly notices: string[] = [];
  private ledger: LedgerData;
  private queue: Promise<unknown> = Promise.resolve();
  /** A new run's ledger is written (and `--overwrite`'s old files deleted) only by `begin`. */
  private begun = false;
  private toDelete: string[] = [];

  private constructor(paths: RunPaths, ledger: LedgerData) {
    this.paths = paths;
    this.ledger = ledger;
  }

  /**
   * The time an earlier run stamped undated sources from, when `--resume` will continue it: the
   * resumed run must plan exactly the same prompts.
   */
  static async savedImportTime(out: string): Promise<LocalTime | undefined> {
    const progress = runPathsFor(out).progress;
    if (!existsSync(progress)) return undefined;
    try {
      const saved = JSON.parse(await readFile(progress, 'utf8')) as Partial<LedgerData>;
      return typeof saved.importTime === 'number' ? saved.importTime : undefined;
    } catch {
      return undefined; // `open` reports a damaged ledger
    }
  }

  /**
   * Opens the run's files. Without `resume`, earlier files are an error unless `overwrite`.
   * With `resume`, the ledger must describe the same run; files are trimmed to completed windows,
   * and with `retryRejected` windows whose answer was malformed are dropped to be done again.
   * A new run writes nothing (and `overwrite` deletes nothing) until {@link begin}, so a start
   * that fails (server down, wrong model) leaves the disk as it was.
   */
  static async open(
    out: string,
    identity: RunIdentity,
    totalWindows: number,
    mode: { resume: boolean; overwrite: boolean; retryRejected?: boolean },
    importTime: LocalTime,
  ): Promise<RunFiles> {
    const paths = runPathsFor(out);
    const existing = Object.values(paths).filter((path) => existsSync(path));
    const fresh: LedgerData = {
      version: 1,
      identity,
      totalWindows,
      importTime,
      completed: {},
      failed: {},
      finished: false,
    };
    if (mode.overwrite) {
      const files = new RunFiles(paths, fresh);
      files.toDelete = existing;
      return files;
    }
    if (!mode.resume && existing.length > 0) {
      throw new UsageError(
        `${existing[0]} already exists: pass --resume to continue that run, or --overwrite to start over.`,
      );
    }
    if (mode.resume && existsSync(paths.progress)) {
      const saved = JSON.parse(await readFile(paths.progress, 'utf8')) as LedgerData;
      const mismatch = describeMismatch(saved.identity, identity);
      if (mismatch !== null) {
        throw new UsageError(
          `cannot resume into ${out}: ${mismatch}. Use --overwrite to start over.`,
        );
      }
      const completed = { ...saved.completed };
      if (mode.retryRejected) {
        for (const [key, window] of Object.entries(completed)) {
          if (window.malformed) delete completed[key];
        }
      }
      const files = new RunFiles(paths, {
        ...saved,
        identity,
        totalWindows,
        importTime: saved.importTime ?? importTime,
        completed,
        failed: {},
        finished: false,
      });
      files.begun = true;
      await files.trimToCompleted();
      const earlierFormat = savedPromptFormat(saved.identity);
      if (earlierFormat !== identity.promptFormat && files.completedCount < totalWindows) {
        files.notices.push(
          `that run was planned with prompt format ${earlierFormat}; its ` +
            `${totalWindows - files.completedCount} unfinished windows restart with format ` +
            `${identity.promptFormat} (the overlap rule with one empty line above and below, as the ` +
            `reference extractor sends it); the ${files.completedCount} finished windows keep their memories.`,
        );
      }
      return files;
    }
    if (mode.resume && existing.length > 0) {
      throw new UsageError(
        `${paths.progress} is missing, so which windows of ${out} are complete is unknown: use --overwrite to start over.`,
      );
    }
    return new RunFiles(paths, fresh);
  }

  /**
   * Makes a new run's files real, once the server is known to answer: deletes an earlier run's
   * files (`--overwrite`) and writes the ledger. Does nothing for a resumed run.
   */
  async begin(): Promise<void> {
    if (this.begun) return;
    await Promise.all(this.toDelete.map((path) => rm(path, { force: true })));
    await this.saveLedger();
    this.begun = true;
  }

  /** Whether any file of this run is on disk (a run that never began has written none). */
  get hasBegun(): boolean {
    return this.begun;
  }

  isCompleted(key: string): boolean {
    return key in this.ledger.completed;
  }

  get completedCount(): number {
    return Object.keys(this.ledger.completed).length;
  }

  /**
   * Completed windows whose answer was malformed and gave no memory at all: nothing came of them.
   * (`--retry-rejected` redoes every window with a malformed answer, these and the ones cut off
   * after some complete memories.)
   */
  get unusableCount(): number {
    return Object.values(this.ledger.completed).filter(
      (window) => window.malformed && window.memories === 0,
    ).length;
  }

  /** Lines already written by completed windows (for the summary of a resumed run). */
  completedLines(role: FileRole): number {
    return Object.values(this.ledger.completed).reduce((sum, counts) => sum + counts[role], 0);
  }

  commitWindow(key: string, lines: WindowLines, malformed = false): Promise<void> {
    return this.serialized(async () => {
      for (const role of roles) {
        if (lines[role].length > 0) {
          // One append per file and window: the window's lines go out together.
          await appendFile(this.paths[role], lines[role].map((line) => `${line}\n`).join(''));
        }
      }
      this.ledger.completed[key] = {
        memories: lines.memories.length,
        rejected: lines.rejected.length,
        answers: lines.answers.length,
        ...(malformed ? { malformed: true as const } : {}),
      };
      delete this.ledger.failed[key];
      await this.saveLedger();
    });
  }

  recordFailure(key: string, message: string): Promise<void> {
    return this.serialized(async () => {
      this.ledger.failed[key] = message;
      await this.saveLedger();
    });
  }

  /**
   * Rewrites every file in plan order (conversation, then window; a window's own lines keep
   * their order), so the result does not depend on which window happened to finish first.
   */
  finalize(orderOf: (key: string) => number, finished: boolean): Promise<void> {
    return this.serialized(async () => {
      for (const role of roles) {
        const lines = await readWindowLines(this.paths[role]);
        if (lines.length === 0 && !existsSync(this.paths[role])) continue;
        const sorted = lines
          .map((line, position) => ({ line, position, order: orderOf(line.key) }))
          .sort((a, b) => a.order - b.order || a.position - b.position)
          .map(({ line }) => `${line.text}\n`);
        await writeAtomically(this.paths[role], sorted.join(''));
      }
      this.ledger.finished = finished;
      await this.saveLedger();
    });
  }

  /** Drops lines of windows the ledger does not list as complete, and windows whose lines are short. */
  private async trimToCompleted(): Promise<void> {
    const contents = new Map<FileRole, ParsedLine[]>();
    for (const role of roles) contents.set(role, await readWindowLines(this.paths[role]));
    for (const [key, counts] of Object.entries(this.ledger.completed)) {
      const intact = roles.every(
        (role) => contents.get(role)!.filter((line) => line.key === key).length === counts[role],
      );
      if (!intact) delete this.ledger.completed[key];
    }
    for (const role of roles) {
      const lines = contents.get(role)!;
      const kept = lines.filter((line) => this.isCompleted(line.key));
      const onDisk = existsSync(this.paths[role]) ? await readFile(this.paths[role], 'utf8') : '';
      const text = kept.map((line) => `${line.text}\n`).join('');
      if (text !== onDisk) await writeAtomically(this.paths[role], text);
    }
    await this.saveLedger();
  }

  private saveLedger(): Promise<void> {
    return writeAtomically(this.paths.progress, `${JSON.stringify(this.ledger, null, 2)}\n`);
  }

  private serialized<T>(task: () => Promise<T>): Promise<T> {
    const result = this.queue.then(async () => {
      await this.begin();
      return task();
    });
    this.queue = result.catch(() => undefined);
    return result;
  }
}
