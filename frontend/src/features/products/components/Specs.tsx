import { useI18n } from '../../../i18n';
import { asText } from '../../../lib/protocol';
import styles from './Specs.module.css';

type Row = { key: string; value: string };
/** The words for true, false and a spec with no name, in the reader's language. */
type Words = { yes: string; no: string; unnamed: string };

/** Specs as label/value rows, whatever shape the catalog gave them (object, list, nested). */
function specRows(specs: unknown, words: Words, prefix = ''): Row[] {
  if (specs === null || specs === undefined) return [];
  if (Array.isArray(specs)) {
    if (specs.every((v) => typeof v === 'string' || typeof v === 'number')) {
      return prefix ? [{ key: prefix, value: specs.map(asText).join(', ') }] : specs.map((v, i) => ({ key: String(i + 1), value: asText(v) }));
    }
    return specs.flatMap((v, i) => specRows(v, words, prefix ? `${prefix} ${i + 1}` : String(i + 1)));
  }
  if (typeof specs === 'object') {
    return Object.entries(specs as Record<string, unknown>).flatMap(([k, v]) => {
      const key = prefix ? `${prefix} › ${k}` : k;
      return typeof v === 'object' && v !== null ? specRows(v, words, key) : [{ key, value: typeof v === 'boolean' ? (v ? words.yes : words.no) : asText(v) }];
    });
  }
  const value = asText(specs);
  return value ? [{ key: prefix || words.unnamed, value }] : [];
}

export function Specs({ specs }: { specs: unknown }) {
  const { t } = useI18n();
  const rows = specRows(specs, { yes: t('product.spec.yes'), no: t('product.spec.no'), unnamed: t('product.spec.default') }).filter((r) => r.value !== '');
  if (rows.length === 0) return null;
  return (
    <dl className={styles.specs}>
      {rows.map((row) => (
        <div key={row.key} className={styles.row}>
          <dt>{row.key}</dt>
          <dd>{row.value}</dd>
        </div>
      ))}
    </dl>
  );
}
