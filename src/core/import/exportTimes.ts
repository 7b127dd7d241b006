/**
 * Epoch times as chat exports store them. ChatGPT writes seconds (`1714673051.25`); copies that
 * went through other tools carry milliseconds, and a missing time is sometimes written `0`.
 */

/** 1e11 seconds is the year 5138, 1e11 milliseconds 1973: any larger number is milliseconds. */
const MILLISECONDS_FROM = 1e11;
/** 1970-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z: what a four-digit-year ISO time can show. */
const EARLIEST_MS = 1;
const LATEST_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/**
 * The epoch milliseconds of an export's `create_time`, told seconds from milliseconds by size; null
 * for a missing time: absent, `0` or negative, not a finite number, or past the year 9999 in
 * either unit (so no time ever prints as `+056305-…`).
 */
export function epochMsOfExportTime(value: number | null | undefined): number | null {
  if (value == null || !Number.isFinite(value) || value <= 0) return null;
  const ms = Math.round(value >= MILLISECONDS_FROM ? value : value * 1000);
  return ms >= EARLIEST_MS && ms <= LATEST_MS ? ms : null;
}
