import { describe, expect, it, vi } from 'vitest';
import { translator } from '../../i18n/translate';
import { ApiError, errorText, fetchBrands, httpError } from './client';

const reply = (status: number, body: string) => new Response(body, { status, headers: { 'content-type': 'application/json' } });

describe('httpError', () => {
  it('reads the code of the contract error body', async () => {
    const error = await httpError(reply(404, JSON.stringify({ error: { code: 'product_not_found', message: "No product with id 'x'." } })));
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 404, code: 'product_not_found', message: 'We could not find that in the catalog.' });
    expect(errorText(error, translator('he'))).toBe('לא מצאנו את זה בקטלוג.');
  });

  it("passes on the server's words when it asks to slow down", async () => {
    const body = { error: { code: 'rate_limited', message: 'Too many predictions from this address; slow down a little.' } };
    const error = await httpError(reply(429, JSON.stringify(body)));
    expect(error).toMatchObject({ status: 429, code: 'rate_limited', message: body.error.message });
  });

  it('keeps to the status when the body is not the contract error', async () => {
    for (const body of ['<html>Bad gateway</html>', JSON.stringify({ detail: 'old shape' }), JSON.stringify({ error: { code: 'made_up', message: 'x' } })]) {
      const error = await httpError(reply(502, body));
      expect(error).toMatchObject({ status: 502, code: null });
      expect(error.message).toContain('(502)');
      expect(errorText(error, translator('he'))).toContain('(502)');
    }
  });
});

describe('requests', () => {
  it('go to the base URL given', async () => {
    const fetch = vi.spyOn(globalThis, 'fetch').mockImplementation(() => Promise.resolve(new Response(JSON.stringify({ brands: [] }))));
    await fetchBrands('https://support.test');
    expect(fetch).toHaveBeenCalledWith('https://support.test/api/brands', expect.anything());
    await fetchBrands('');
    expect(fetch).toHaveBeenLastCalledWith('/api/brands', expect.anything());
  });

  it('say in words when the server cannot be reached', async () => {
    vi.spyOn(globalThis, 'fetch').mockRejectedValue(new TypeError('Failed to fetch'));
    const error = await fetchBrands('https://support.test').catch((e: unknown) => e);
    expect(errorText(error, translator('en'))).toMatch(/cannot be reached/);
    expect(errorText(new Error('x'), translator('en'))).toBe('Something went wrong.');
  });
});
