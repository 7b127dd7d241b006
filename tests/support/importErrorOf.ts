import { expect } from 'vitest';

import { ImportError } from '../../src/core/import';

/** The ImportError that `run` throws; the test fails when it throws nothing or something else. */
export function importErrorOf(run: () => unknown): ImportError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ImportError);
    return error as ImportError;
  }
  throw new Error('expected an ImportError');
}
