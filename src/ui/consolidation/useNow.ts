import { useEffect, useState } from 'react';

/**
 * The clock, read again every second while `ticking` (a "time left" that counts down); at most a
 * second stale when ticking starts, which a time left tolerates.
 */
export function useNow(ticking: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!ticking) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [ticking]);
  return now;
}
