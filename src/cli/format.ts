/** Output formatting the way the Docker CLI does it: sizes, ages, tables. */

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];

/** Decimal size with 3 significant digits: 4261234 → '4.26MB', 0 → '0B'. */
export function humanSize(bytes: number): string {
  let v = bytes;
  let i = 0;
  while (v >= 1000 && i < UNITS.length - 1) {
    v /= 1000;
    i++;
  }
  return `${Number.parseFloat(v.toPrecision(3))}${UNITS[i]}`;
}

/** Docker's HumanDuration: 'About an hour', '3 days', '2 weeks'. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 1) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.floor(seconds / 60);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.round(ms / 3_600_000);
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.floor(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.floor(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24 / 30)} months`;
  return `${Math.floor(hours / 24 / 365)} years`;
}

/** 'N ago' for an RFC 3339 time, 'N/A' when absent or unparsable. */
export function since(created: string | undefined, now = Date.now()): string {
  const t = created === undefined ? Number.NaN : Date.parse(created);
  if (Number.isNaN(t)) return 'N/A';
  return `${humanDuration(Math.max(0, now - t))} ago`;
}

/** Docker's CreatedAt: '2024-01-02 03:04:05 +0000 UTC'. */
export function createdAt(created: string | undefined): string {
  const t = created === undefined ? Number.NaN : Date.parse(created);
  if (Number.isNaN(t)) return '';
  return `${new Date(t)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, '')
    .replace('Z', '')} +0000 UTC`;
}

/** Cut to `max` characters with a trailing '…' (Docker's Ellipsis). */
export function ellipsis(s: string, max: number): string {
  const chars = [...s];
  return chars.length <= max ? s : `${chars.slice(0, max - 1).join('')}…`;
}

/** Columns padded like Docker's tabwriter (min width 10, padding 3); the last is not padded. */
export function table(header: string[], rows: string[][]): string {
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(10, ...all.map((r) => [...(r[c] ?? '')].length + 3)));
  return all
    .map((r) =>
      r
        .map((cell, c) => (c === r.length - 1 ? cell : cell + ' '.repeat(widths[c]! - [...cell].length)))
        .join(''),
    )
    .join('\n')
    .concat('\n');
}
