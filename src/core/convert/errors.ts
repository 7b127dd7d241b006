import type { CheckpointRefusal } from './types';

/** Thrown by a `CheckpointReader` when a file of the checkpoint does not exist. */
export class CheckpointFileMissingError extends Error {
  constructor(readonly file: string) {
    super(`The checkpoint has no file "${file}".`);
    this.name = 'CheckpointFileMissingError';
  }
}

/** Thrown when a checkpoint cannot be converted; `refusals` names each field that is wrong. */
export class CheckpointRefusedError extends Error {
  constructor(readonly refusals: CheckpointRefusal[]) {
    super(refusals.map((refusal) => refusal.message).join(' '));
    this.name = 'CheckpointRefusedError';
  }
}
