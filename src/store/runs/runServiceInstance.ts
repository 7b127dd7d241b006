import { appServices } from '../boot/appServices';
import type { RunService } from './runService';

/** The app's run service (wired in `boot/appServices.ts`). */
export function getRunService(): RunService {
  return appServices().runs;
}
