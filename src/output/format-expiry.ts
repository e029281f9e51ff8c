/**
 * Expiry times as people read them (issue 13): the wall-clock time in their own time zone, with the zone, and what
 * remains: `18:04 JST, 11h 59m left`. A time on another day carries its date. `--json` and the variables handed to
 * tools keep ISO 8601 UTC; only the lines meant for eyes use this.
 */

/** `11h 59m` / `4m`; `0m` once past. */
export function formatRemaining(expiration: string | undefined, nowMs: number): string {
  if (!expiration) return 'no expiry';
  const minutes = Math.max(0, Math.floor((Date.parse(expiration) - nowMs) / 60_000));
  return minutes >= 60 ? `${Math.floor(minutes / 60)}h ${minutes % 60}m` : `${minutes}m`;
}

/**
 * The zone's short name. CLDR gives the familiar abbreviation only in a locale that uses it (JST in ja, CET in
 * en-GB, EST in en-US); elsewhere `GMT+9`, which is still right, so that is the fallback.
 */
function zoneName(date: Date, timeZone: string): string {
  let fallback = timeZone;
  for (const locale of ['en-US', 'en-GB', 'ja-JP']) {
    const name = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'short' })
      .formatToParts(date)
      .find((p) => p.type === 'timeZoneName')?.value;
    if (name === undefined) continue;
    if (!/^(GMT|UTC)[+-]/.test(name)) return name;
    if (fallback === timeZone) fallback = name;
  }
  return fallback;
}

/** Year, month, day, hour, minute of `date` in `timeZone`. */
function wallClock(date: Date, timeZone: string): { day: string; time: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  );
  return { day: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

/** `18:04 JST` (or `2026-11-27 06:04 JST` on another day than `nowMs`'s, in that zone); UTC when the zone is unknown. */
export function formatLocalTime(iso: string, nowMs: number, timeZone: string | undefined): string {
  const date = new Date(Date.parse(iso));
  if (Number.isNaN(date.getTime())) return iso;
  let zone = timeZone ?? 'UTC';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    zone = 'UTC'; // a TZ the runtime does not know: UTC is still a true statement
  }
  const at = wallClock(date, zone);
  const today = wallClock(new Date(nowMs), zone);
  return `${at.day === today.day ? '' : `${at.day} `}${at.time} ${zoneName(date, zone)}`;
}

/** `18:04 JST, 11h 59m left`; `no expiry` for long-term keys. */
export function formatExpiry(expiration: string | undefined, nowMs: number, timeZone: string | undefined): string {
  if (!expiration) return 'no expiry';
  return `${formatLocalTime(expiration, nowMs, timeZone)}, ${formatRemaining(expiration, nowMs)} left`;
}
