// CSV out of the app: tables the backend exports (`/api/analytics/export.csv`) are fetched
// with the bearer token and handed to the browser as a download; tables built only here
// (knowledge gaps, the session list page) are written client-side with the same quoting.
// The text helpers are pure, for Node tests; `saveBlob` touches the DOM.

/** RFC 4180 quoting, plus a leading apostrophe on cells a spreadsheet would run as a formula. */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(
  header: readonly string[],
  rows: ReadonlyArray<ReadonlyArray<string | number | boolean | null | undefined>>,
): string {
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** The name the server suggested (Content-Disposition), else the fallback. */
export function filenameFromDisposition(header: string | null, fallback: string): string {
  if (!header) return fallback;
  const star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header);
  if (star?.[1]) {
    try {
      return sanitizeFilename(decodeURIComponent(star[1].trim())) || fallback;
    } catch {
      // Badly encoded: try the plain parameter.
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(header);
  return (plain?.[1] && sanitizeFilename(plain[1].trim())) || fallback;
}

function sanitizeFilename(name: string): string {
  const safe = [...name].map((ch) => (ch.charCodeAt(0) < 32 || '\\/:*?"<>|'.includes(ch) ? '_' : ch));
  return safe.join('').slice(0, 120);
}

/** e.g. "switchboard-team-2025-01-01_2025-01-07.csv" */
export function exportFilename(table: string, from: string, to: string): string {
  return `switchboard-${table}-${from}_${to}.csv`;
}

/** Offers a Blob as a file download; the object URL is released once the click is handled. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
