import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { WafGuard } from '../guard';
import type { GuardOptions } from '../options';
import type { TransactionSource } from '../source';

export type GuardedListener = RequestListener & { readonly guard: WafGuard };

/**
 * Puts the WAF in front of a `node:http` request listener (an Express app is one too): the listener runs only for
 * requests the WAF lets through, and reads the request body as if nothing had read it before.
 *
 * @example
 * const waf = await createWaf({ crs: { paranoia: 1 }, mode: 'block' });   // @rampart/waf
 * http.createServer(wafHandler(waf, (req, res) => res.end('hello'))).listen(8080);
 */
export function wafHandler(source: TransactionSource, listener: RequestListener, options: GuardOptions = {}): GuardedListener {
  const guard = new WafGuard(source, options);
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    void guard.handle(req, res).then((pass) => {
      if (pass) listener(req, res);
    });
  };
  return Object.assign(handler, { guard });
}
