import type { IncomingMessage, ServerResponse } from 'node:http';
import { WafGuard } from '../guard';
import type { GuardOptions } from '../options';
import type { TransactionSource } from '../source';
import type { WafVerdict } from '../verdict';

/** The parts of Fastify's request and reply the plugin uses; typed structurally so Fastify stays an optional peer. */
export interface FastifyLikeRequest {
  readonly raw: IncomingMessage;
  /** The client address after Fastify's `trustProxy` setting. */
  readonly ip: string;
  waf?: WafVerdict | null;
}

export interface FastifyLikeReply {
  readonly raw: ServerResponse;
  hijack(): unknown;
}

export interface FastifyLikeInstance {
  decorate(name: string, value: unknown): unknown;
  decorateRequest(name: string, value: unknown): unknown;
  addHook(name: 'onRequest', hook: (request: FastifyLikeRequest, reply: FastifyLikeReply) => Promise<void>): unknown;
}

export interface FastifyWafOptions extends GuardOptions {
  /** The WAF, or a promise of it: registration waits for it, so rules load before the server accepts requests. */
  readonly waf: TransactionSource | Promise<TransactionSource>;
}

/**
 * Fastify plugin (v4 and v5). It applies to the whole application (it is not encapsulated, as with
 * `fastify-plugin`), puts the verdict on `request.waf` and the guard on `fastify.wafGuard`.
 *
 * @example
 * await app.register(fastifyWaf, { waf: createWaf({ crs: { paranoia: 1 }, mode: 'block' }) });
 */
async function fastifyWafPlugin(fastify: FastifyLikeInstance, options: FastifyWafOptions): Promise<void> {
  const { waf, ...guardOptions } = options;
  const guard = new WafGuard(await waf, guardOptions);
  fastify.decorate('wafGuard', guard);
  fastify.decorateRequest('waf', null);
  fastify.addHook('onRequest', async (request, reply) => {
    const pass = await guard.handle(request.raw, reply.raw, { clientAddress: request.ip, url: request.raw.url });
    request.waf = request.raw.waf ?? null;
    // The WAF answered (or the client left): Fastify must not route or answer this request.
    if (!pass) reply.hijack();
  });
}

// What fastify-plugin sets: skip-override lifts the plugin out of its encapsulation context, so its hook sees every
// route of the application. Set here directly rather than adding a dependency for two properties.
export const fastifyWaf = Object.assign(fastifyWafPlugin, {
  [Symbol.for('skip-override')]: true,
  [Symbol.for('fastify.display-name')]: '@rampart/http',
});
