import type { IncomingMessage, ServerResponse } from 'node:http';
import { WafGuard } from '../guard';
import type { GuardOptions } from '../options';
import type { TransactionSource } from '../source';

/** The parts of Express's request the middleware reads; typed structurally so Express stays an optional peer. */
export interface ExpressLikeRequest extends IncomingMessage {
  /** The client address after Express's `trust proxy` setting. */
  readonly ip?: string | undefined;
  /** The request target as received (`req.url` is rewritten inside mounted routers). */
  readonly originalUrl?: string;
}

export type ExpressMiddleware = ((req: ExpressLikeRequest, res: ServerResponse, next: (error?: unknown) => void) => void) & {
  readonly guard: WafGuard;
};

/**
 * Express middleware (4 and 5). Install it first, before any body parser: it reads the body for the WAF and hands
 * it back, so `express.json()`, `express.urlencoded()`, multer and raw streams read it as usual. To have the WAF see
 * response bodies uncompressed, install it after `compression()`.
 *
 * @example
 * const app = express();
 * app.use(expressWaf(await createWaf({ crs: { paranoia: 1 }, mode: 'block' })));
 * app.use(express.json());
 */
export function expressWaf(source: TransactionSource, options: GuardOptions = {}): ExpressMiddleware {
  const guard = new WafGuard(source, options);
  const middleware = (req: ExpressLikeRequest, res: ServerResponse, next: (error?: unknown) => void): void => {
    void guard.handle(req, res, { clientAddress: req.ip, url: req.originalUrl }).then((pass) => {
      if (!pass) return;
      try {
        next();
      } catch (error) {
        next(error);
      }
    });
  };
  return Object.assign(middleware, { guard });
}
