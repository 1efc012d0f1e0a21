/**
 * Toloka's webhook signature: `Toloka-Signature: {v=1, ts=<unix ms>, sign=<hex>}` where
 * sign = hex(HMAC-SHA256(secret_key, "<ts>.<v>.<raw body>")). Used by the sandbox to sign and by
 * receivers (and tests) to check. No vscode import.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export function signWebhook(secret: string, body: string, ts: number, v = 1): string {
  const sign = createHmac('sha256', secret).update(`${ts}.${v}.${body}`).digest('hex');
  return `{v=${v}, ts=${ts}, sign=${sign}}`;
}

export function parseSignature(header: string): { v: number; ts: number; sign: string } | undefined {
  const m = /^\{\s*v=(\d+),\s*ts=(\d+),\s*sign=([0-9a-f]+)\s*\}$/.exec(header.trim());
  return m ? { v: Number(m[1]), ts: Number(m[2]), sign: m[3] ?? '' } : undefined;
}

/** Whether the header signs this raw body with this secret. */
export function verifyWebhook(secret: string, body: string, header: string | undefined): boolean {
  const s = header ? parseSignature(header) : undefined;
  if (!s) return false;
  const expected = Buffer.from(createHmac('sha256', secret).update(`${s.ts}.${s.v}.${body}`).digest('hex'));
  const got = Buffer.from(s.sign);
  return expected.length === got.length && timingSafeEqual(expected, got);
}
