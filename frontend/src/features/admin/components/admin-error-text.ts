import type { AdminTranslate } from '../i18n';
import type { AdminError } from '../api/admin-api';

/** What went wrong with an admin request, in words. */
export function adminErrorText(t: AdminTranslate, error: AdminError, signedIn: boolean): string {
  switch (error.kind) {
    case 'unauthorized':
      return signedIn ? t('admin.error.expired') : t('admin.error.unauthorized');
    case 'disabled':
      return t('admin.error.disabled');
    case 'unreachable':
      return t('admin.error.unreachable');
    case 'unreadable':
      return t('admin.error.unreadable');
    case 'server':
      return error.serverMessage ?? t('admin.error.server', { status: error.status });
  }
}

/** An ISO 8601 time as the reader's local date and time (the text as it is if not a date). */
export function formatTime(iso: string | null, lang: string): string {
  if (!iso) return '';
  const time = new Date(iso);
  if (Number.isNaN(time.getTime())) return iso;
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(time);
}
