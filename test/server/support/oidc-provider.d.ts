// oidc-provider ships no types; the tests use a handful of its members, typed loosely here.
declare module 'oidc-provider' {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  type Loose = any;
  export default class Provider {
    constructor(issuer: string, configuration: Loose);
    Grant: Loose;
    callback(): (request: import('node:http').IncomingMessage, response: import('node:http').ServerResponse) => void;
    interactionDetails(request: import('node:http').IncomingMessage, response: import('node:http').ServerResponse): Promise<Loose>;
    interactionFinished(request: import('node:http').IncomingMessage, response: import('node:http').ServerResponse, result: Loose, options?: Loose): Promise<void>;
  }
}
