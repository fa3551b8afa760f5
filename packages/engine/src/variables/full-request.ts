import type { Transaction } from '../transaction';

/*
 * FULL_REQUEST as libmodsecurity v3 builds it (transaction.cc processRequestBody, once the body is let in): each
 * request header as `Name: value` and a line feed, two line feeds, then the request body. v3 builds it for every
 * request; here its length is known from phase 2 on and the text is built when a rule reads it.
 */

/** FULL_REQUEST's length: the header lines, two line feeds and the body. */
export function fullRequestLength(tx: Transaction, body: string): number {
  let n = 2 + body.length;
  for (const h of tx.collection('REQUEST_HEADERS')!.entries()) n += h.key.length + h.value.length + 3;
  return n;
}

/** FULL_REQUEST, or '' before phase 2 let the body in (as in v3, where it is not set yet). */
export function fullRequest(tx: Transaction): string {
  if (!tx.vars.has('FULL_REQUEST_LENGTH')) return '';
  let text = '';
  for (const h of tx.collection('REQUEST_HEADERS')!.entries()) text += `${h.key}: ${h.value}\n`;
  return `${text}\n\n${tx.requestBody.text()}`;
}
