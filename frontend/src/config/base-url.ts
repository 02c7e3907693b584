/** The base URL with no trailing slash ('' stays ''; only http(s) URLs count, anything else is ''). */
export function normalizeBaseUrl(base: string | null | undefined): string {
  const trimmed = (base ?? '').trim().replace(/\/+$/, '');
  return /^https?:\/\/[^\s/]+(\/\S*)?$/i.test(trimmed) ? trimmed : '';
}
