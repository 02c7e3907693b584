import { describe, expect, it } from 'vitest';
import { adminEn, type AdminKey } from './en';
import { adminHe } from './he';
import { adminTranslator } from './index';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const keys = Object.keys(adminEn) as AdminKey[];

describe('admin catalogs', () => {
  it('Hebrew has every English key, the same placeholders, and is written in Hebrew', () => {
    expect(Object.keys(adminHe).sort()).toEqual([...keys].sort());
    expect(keys.filter((key) => !key.endsWith('.one') && placeholders(adminHe[key]).join() !== placeholders(adminEn[key]).join())).toEqual([]);
    expect(keys.filter((key) => !adminEn[key].trim() || !/[\u0590-\u05FF]/.test(adminHe[key]))).toEqual([]);
  });

  it('fills placeholders, isolating text values in Hebrew', () => {
    expect(adminTranslator('en')('admin.error.server', { status: 503 })).toBe('The server answered with an error (503). Please try again.');
    expect(adminTranslator('he')('admin.delivery.lastError', { error: 'HTTP 503' })).toBe('שגיאה אחרונה: \u2068HTTP 503\u2069');
  });
});
