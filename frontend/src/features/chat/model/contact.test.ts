import { describe, expect, it } from 'vitest';
import { contactProblems } from './contact';

describe('contactProblems', () => {
  it('accepts empty fields and the shapes the server accepts', () => {
    expect(contactProblems({})).toEqual([]);
    expect(contactProblems({ name: 'Dana', email: '  ', phone: '' })).toEqual([]);
    expect(contactProblems({ email: 'dana@example.co.il', phone: '+972 (3) 555-0101' })).toEqual([]);
    expect(contactProblems({ phone: '03/555.0101' })).toEqual([]);
  });

  it('names the fields that are filled in but wrong, in form order', () => {
    expect(contactProblems({ email: 'dana.example.com', phone: 'call me' })).toEqual(['email', 'phone']);
    expect(contactProblems({ email: 'dana@example' })).toEqual(['email']);
    expect(contactProblems({ email: 'da na@example.com' })).toEqual(['email']);
    expect(contactProblems({ email: `${'a'.repeat(65)}@example.com` })).toEqual(['email']);
    expect(contactProblems({ phone: '---' })).toEqual(['phone']); // no digits
    expect(contactProblems({ phone: '12' })).toEqual(['phone']);
    expect(contactProblems({ phone: `+${'1'.repeat(41)}` })).toEqual(['phone']);
  });
});
