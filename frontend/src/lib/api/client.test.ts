import { describe, expect, it } from 'vitest';
import { ApiError, httpError } from './client';

const reply = (status: number, body: string) => new Response(body, { status, headers: { 'content-type': 'application/json' } });

describe('httpError', () => {
  it('reads the code of the contract error body', async () => {
    const error = await httpError(reply(404, JSON.stringify({ error: { code: 'product_not_found', message: "No product with id 'x'." } })));
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 404, code: 'product_not_found', message: 'We could not find that in the catalog.' });
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
    }
  });
});
