// The access record's shared header set and URL (aic/logs/access.ts): a request with the same loggable headers, in the
// same order, as the last one reuses its interned set without building a key; any difference (a value, a name, the
// order, a header more or less) interns its own set, so the rendered entry is what the request sent.
import { describe, expect, it } from 'vitest';
import { LogBook } from '../src/core/logbook.js';
import { accessRecord, loggableHeaders } from '../src/aic/logs/access.js';
import { transactionId, transactionIdOf, transactionNumber } from '../src/core/ids.js';

const base = { host: 'dev.localhost', 'user-agent': 'sdk/1', accept: 'application/json', authorization: 'Bearer x' };

describe('access record', () => {
  it('reuses the last header set only for the same names, order and values', () => {
    const book = new LogBook();
    const a = loggableHeaders(book, { ...base });
    expect(a).toEqual({ host: 'dev.localhost', 'user-agent': 'sdk/1', accept: 'application/json' });
    expect(loggableHeaders(book, { ...base, authorization: 'Bearer y' })).toBe(a); // credentials are not logged
    const reordered = loggableHeaders(book, { accept: 'application/json', host: 'dev.localhost', 'user-agent': 'sdk/1' });
    expect(reordered).not.toBe(a);
    expect(Object.keys(reordered)).toEqual(['accept', 'host', 'user-agent']);
    expect(loggableHeaders(book, { ...base })).toBe(a); // interned before: the table still has it
    const other = loggableHeaders(book, { ...base, 'user-agent': 'sdk/2' });
    expect(other['user-agent']).toBe('sdk/2');
    const more = loggableHeaders(book, { ...base, 'user-agent': 'sdk/2', 'x-extra': '1' });
    expect(more).toEqual({ host: 'dev.localhost', 'user-agent': 'sdk/2', accept: 'application/json', 'x-extra': '1' });
    const fewer = loggableHeaders(book, { host: 'dev.localhost', 'user-agent': 'sdk/2' });
    expect(fewer).toEqual({ host: 'dev.localhost', 'user-agent': 'sdk/2' });
    expect(loggableHeaders(book, { host: 'dev.localhost', 'user-agent': ['sdk/2', 'sdk/3'] })).toEqual({ host: 'dev.localhost', 'user-agent': 'sdk/2, sdk/3' });
    expect(loggableHeaders(book, new Headers({ host: 'dev.localhost' }))).toEqual({ host: 'dev.localhost' });
  });

  it('keeps each record its own URL and transaction id', () => {
    const book = new LogBook();
    const tx = transactionId();
    const r1 = accessRecord(book, 'GET', 'http://dev.localhost/environment/variables', { ...base }, tx);
    const r2 = accessRecord(book, 'GET', 'http://dev.localhost/environment/variables', { ...base }, 'caller-tx');
    const r3 = accessRecord(book, 'GET', 'http://dev.localhost/environment/secrets', { ...base }, transactionIdOf(5));
    expect(r1.url).toBe('http://dev.localhost/environment/variables');
    expect(r2.url).toBe(r1.url);
    expect(r3.url).toBe('http://dev.localhost/environment/secrets');
    expect(r1.tx).toBe(transactionNumber(tx));
    expect(transactionIdOf(r1.tx as number)).toBe(tx);
    expect(r2.tx).toBe('caller-tx');
    expect(r3.tx).toBe(5);
    book.clear();
    expect(book.lastAccess).toBeUndefined();
  });
});
