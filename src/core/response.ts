// The Node response class of the emulator's listeners (server.ts passes it to node:http as serverOptions.ServerResponse).
import { ServerResponse, type IncomingMessage, type OutgoingHttpHeader, type OutgoingHttpHeaders } from 'node:http';

const TX_HEADER = 'x-forgerock-transactionid';

/**
 * Put AIC's transaction id header on a listener's Node response: an EmulatorResponse takes it into writeHead (below),
 * another response through setHeader. False when there is no Node response (in-process: the caller sets it on the
 * Hono context).
 */
export function stampTransactionId(outgoing: ServerResponse | undefined, txId: string): boolean {
  if (outgoing === undefined) return false;
  if (outgoing instanceof EmulatorResponse) outgoing.transactionId = txId;
  else outgoing.setHeader(TX_HEADER, txId);
  return true;
}

/**
 * The Node response of a listener. AIC's transaction id (app.ts sets `transactionId`) goes into the header object
 * @hono/node-server hands to writeHead, first, instead of through setHeader before it: a setHeader makes Node's
 * writeHead take its merging path (every header of the object set again, then validated: ≈0.5 µs per response
 * measured, issue #17). The same header lines in the same order as setHeader gave: the transaction id first, then the
 * response's own; a response carrying the header itself (any casing), or raw header arrays, go the setHeader way.
 */
export class EmulatorResponse<Request extends IncomingMessage = IncomingMessage> extends ServerResponse<Request> {
  transactionId: string | undefined = undefined;

  override writeHead(statusCode: number, statusMessage?: string, headers?: OutgoingHttpHeaders | OutgoingHttpHeader[]): this;
  override writeHead(statusCode: number, headers?: OutgoingHttpHeaders | OutgoingHttpHeader[]): this;
  override writeHead(statusCode: number, a?: string | OutgoingHttpHeaders | OutgoingHttpHeader[], b?: OutgoingHttpHeaders | OutgoingHttpHeader[]): this {
    const tx = this.transactionId;
    if (tx === undefined) return super.writeHead(statusCode, a as string, b);
    this.transactionId = undefined;
    const message = typeof a === 'string' ? a : undefined;
    const headers = typeof a === 'string' ? b : a;
    if (headers === undefined || (headers !== null && !Array.isArray(headers))) {
      const merged: OutgoingHttpHeaders = { [TX_HEADER]: tx };
      let own = false;
      for (const k in headers) {
        if (k.length === TX_HEADER.length && k.toLowerCase() === TX_HEADER) own = true;
        merged[k] = headers[k];
      }
      if (!own) return message === undefined ? super.writeHead(statusCode, merged) : super.writeHead(statusCode, message, merged);
    }
    this.setHeader(TX_HEADER, tx);
    return super.writeHead(statusCode, a as string, b);
  }
}
