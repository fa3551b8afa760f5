export { expressWaf, type ExpressLikeRequest, type ExpressMiddleware } from './adapters/express';
export { fastifyWaf, type FastifyLikeInstance, type FastifyLikeReply, type FastifyLikeRequest, type FastifyWafOptions } from './adapters/fastify';
export { wafHandler, type GuardedListener } from './adapters/node-http';
export { defaultErrorPage } from './error-page';
export { HttpWafError, type HttpWafErrorCode } from './errors';
export { WafGuard, type RequestHints } from './guard';
export type { BlockedRequest, ErrorPage, FailureStage, GuardOptions } from './options';
export type { TransactionSource } from './source';
export type { WafVerdict } from './verdict';
