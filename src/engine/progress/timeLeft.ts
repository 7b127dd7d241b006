/**
 * Seconds left in a phase at a steady pace, from how far it got and how long that took; null
 * until there is enough to go on (under 1 % or under a second).
 */
export function secondsLeftAt(fraction: number, elapsedSeconds: number): number | null {
  if (fraction <= 0.01 || elapsedSeconds < 1 || fraction >= 1) return fraction >= 1 ? 0 : null;
  return Math.round((elapsedSeconds * (1 - fraction)) / fraction);
}

/** "about 3 min left", "about 40 s left", "" when unknown. */
export function formatSecondsLeft(seconds: number | undefined): string {
  if (seconds === undefined) return '';
  if (seconds <= 0) return 'almost done';
  if (seconds < 90) return `about ${Math.max(1, Math.round(seconds))} s left`;
  if (seconds < 90 * 60) return `about ${Math.round(seconds / 60)} min left`;
  return `about ${(seconds / 3600).toFixed(1)} h left`;
}

/** 1536 → "1.5 KB", binary units as storage estimates use. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(unit === 0 || value >= 100 ? 0 : 1)} ${units[unit]}`;
}
