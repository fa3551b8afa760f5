import { RampartError } from '@rampart/engine';

export type HttpWafErrorCode = 'body-consumed';

/** A failure of the HTTP integration itself (not of a request): reported through `onError`, never thrown at the application. */
export class HttpWafError extends RampartError {
  constructor(code: HttpWafErrorCode, message: string) {
    super(code, message);
    this.name = 'HttpWafError';
  }
}
