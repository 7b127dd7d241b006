import { z } from 'zod';

/** A naive wall-clock time (see core/time/localTime.ts), as records store it. */
export const localTime = z.number().finite();
/** A real instant, epoch ms: the `...At` fields. */
export const instant = z.number().finite();
