import { describe, expect, it } from 'vitest';
import { readOptions } from './options';

const script = (data: Record<string, string>, src = 'https://support.test/widget.js') => ({ dataset: data, src }) as Pick<HTMLScriptElement, 'dataset' | 'src'>;

describe('readOptions', () => {
  it('reads the data-* attributes of the script tag', () => {
    expect(
      readOptions(script({ server: 'https://help.example.com/', lang: 'he', scenario: 'live', brand: 'roland', open: 'true' })),
    ).toEqual({ server: 'https://help.example.com', lang: 'he', scenario: 'live', brand: 'roland', open: true });
  });

  it('falls back to the script origin and defaults, ignoring bad values', () => {
    expect(readOptions(script({ lang: 'fr', scenario: 'party', brand: 'a b<', open: 'yes', server: 'javascript:alert(1)' }))).toEqual({
      server: 'https://support.test',
      lang: null,
      scenario: null,
      brand: null,
      open: false,
    });
    expect(readOptions(null).server).toBe('');
    expect(readOptions(script({ lang: ' HE ' })).lang).toBe('he');
  });
});
