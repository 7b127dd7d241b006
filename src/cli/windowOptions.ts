import {
  defaultWindowSettings,
  validateWindowSettings,
  type WindowSettings,
} from '../core/windows';
import { integerOption } from './options';

/**
 * `--window-size` and `--overlap`. Without `--overlap`, a small window keeps the default overlap
 * only as far as it can (`--window-size 2` overlaps by 1), so a size alone is always valid.
 */
export function windowSettingsFrom(values: {
  'window-size'?: string;
  overlap?: string;
}): WindowSettings {
  const size = integerOption('window-size', values['window-size'], 1) ?? defaultWindowSettings.size;
  const overlap =
    integerOption('overlap', values.overlap, 0) ??
    Math.min(defaultWindowSettings.overlap, size - 1);
  const settings = { size, overlap };
  validateWindowSettings(settings);
  return settings;
}
