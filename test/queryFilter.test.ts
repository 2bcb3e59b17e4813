import { describe, it, expect } from 'vitest';
import { parseQueryFilter, matchesFilter, compileQueryFilter, QueryFilterError, parseQueryFilterParam } from '../src/core/queryFilter.js';
import { ApiError } from '../src/core/errors.js';

const entry = {
  payload: {
    level: 'INFO',
    eventName: 'AM-NODE-LOGIN-COMPLETED',
    timestamp: '2023-05-16T08:21:34.632Z',
    client: { ip: '10.104.1.5', port: 60572 },
    response: { elapsedTime: 10, status: 'SUCCESSFUL' },
    principal: ['amadmin', 'bjensen'],
    entries: [{ info: { nodeType: 'PageNode', authLevel: '0' } }, { info: { nodeType: 'ScriptedDecisionNode' } }],
    passwordChanged: false,
    revision: null,
    'a/b': 'slash',
  },
  type: 'application/json',
};
const m = (f: string, o: unknown = entry) => compileQueryFilter(f)(o);

describe('queryFilter: operators', () => {
  it('eq (strings ignore case, numbers, booleans, null)', () => {
    expect(m('/payload/level eq "INFO"')).toBe(true);
    expect(m('/payload/level eq "info"')).toBe(true);
    expect(m('/payload/level eq "DEBUG"')).toBe(false);
    expect(m('/payload/response/elapsedTime eq 10')).toBe(true);
    expect(m('/payload/response/elapsedTime eq "10"')).toBe(false);
    expect(m('/payload/passwordChanged eq false')).toBe(true);
    expect(m('/payload/passwordChanged eq true')).toBe(false);
    expect(m('/payload/revision eq null')).toBe(true);
  });
  it('co and sw', () => {
    expect(m('/payload/client/ip co "104.1"')).toBe(true);
    expect(m('/payload/client/ip co "10.99"')).toBe(false);
    expect(m('/payload/timestamp sw "2023-05-16T08"')).toBe(true);
    expect(m('/payload/timestamp sw "2023-05-14"')).toBe(false);
    expect(m('/payload co "WARNING"', { payload: 'a WARNING line', type: 'text/plain' })).toBe(true);
    expect(m('/payload co "WARNING"')).toBe(false);
  });
  it('gt ge lt le on numbers and strings', () => {
    expect(m('/payload/response/elapsedTime gt 9')).toBe(true);
    expect(m('/payload/response/elapsedTime gt 10')).toBe(false);
    expect(m('/payload/response/elapsedTime ge 10')).toBe(true);
    expect(m('/payload/response/elapsedTime lt 10')).toBe(false);
    expect(m('/payload/response/elapsedTime lt 10.5')).toBe(true);
    expect(m('/payload/response/elapsedTime le 10')).toBe(true);
    expect(m('/payload/response/elapsedTime le -1')).toBe(false);
    expect(m('/payload/timestamp gt "2023-05-16T00:00:00Z"')).toBe(true);
    expect(m('/payload/timestamp lt "2023-05-16T00:00:00Z"')).toBe(false);
  });
  it('pr', () => {
    expect(m('/payload/entries/info/nodeType pr')).toBe(true);
    expect(m('/payload/nothing pr')).toBe(false);
    expect(m('/payload/revision pr')).toBe(false);
  });
  it('and, or, !, parentheses, literals', () => {
    expect(m('/payload/client/ip co "10.104.1.5" and /payload/level eq "ERROR"')).toBe(false);
    expect(m('/payload/client/ip co "10.104.1.5" or /payload/level eq "ERROR"')).toBe(true);
    expect(m('!(/payload/level eq "ERROR")')).toBe(true);
    expect(m('! /payload/level eq "INFO"')).toBe(false);
    expect(m('(/payload/level eq "ERROR" or /payload/level eq "INFO") and /payload/client/port eq 60572')).toBe(true);
    expect(m('/payload/level eq "ERROR" or /payload/level eq "INFO" and /payload/client/port eq 1')).toBe(false);
    expect(m('true')).toBe(true);
    expect(m('false')).toBe(false);
    expect(m('true and !false')).toBe(true);
  });
  it('arrays are matched element-wise without an index (S4 L6200–6240)', () => {
    expect(m('/payload/entries/info/nodeType eq "ScriptedDecisionNode"')).toBe(true);
    expect(m('/payload/entries/info/nodeType eq "Other"')).toBe(false);
    expect(m('/payload/principal eq "bjensen"')).toBe(true);
  });
  it('bare fields, escapes, single quotes and ~1 pointer escapes', () => {
    expect(m('payload/level eq "INFO"')).toBe(true);
    expect(m('/payload/a~1b eq "slash"')).toBe(true);
    expect(m('/x eq "say \\"hi\\""', { x: 'say "hi"' })).toBe(true);
    expect(m("/x eq 'it\\'s'", { x: "it's" })).toBe(true);
    expect(m('/x eq "\\u0041"', { x: 'A' })).toBe(true);
    expect(m('/x eq "a (b) and c"', { x: 'a (b) and c' })).toBe(true);
  });
  it('produces an AST', () => {
    expect(parseQueryFilter('/a eq 1 and !(/b pr)')).toEqual({
      type: 'and',
      operands: [
        { type: 'cmp', op: 'eq', pointer: '/a', path: ['a'], value: 1 },
        { type: 'not', operand: { type: 'pr', pointer: '/b', path: ['b'] } },
      ],
    });
    expect(matchesFilter(parseQueryFilter('/a eq 1'), { a: 1 })).toBe(true);
  });
});

describe('queryFilter: malformed filters name the position', () => {
  const cases: Array<[string, number]> = [
    ['', 0],
    ['/payload/level eq', 17],
    ['/payload/level eq INFO', 18],
    ['/payload/level foo "x"', 15],
    ['(/a eq 1', 8],
    ['/a eq 1)', 7],
    ['/a eq "unterminated', 6],
    ['/a eq 1 and', 11],
    ['/a eq 1 /b eq 2', 8],
    ['/a', 2],
  ];
  for (const [text, pos] of cases) {
    it(JSON.stringify(text), () => {
      let err: unknown;
      try {
        parseQueryFilter(text);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(QueryFilterError);
      expect((err as QueryFilterError).position).toBe(pos);
      expect((err as QueryFilterError).message).toContain(`position ${pos}`);
    });
  }
  it('parseQueryFilterParam throws the CREST 400', () => {
    try {
      parseQueryFilterParam('/a eq');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ApiError);
      expect((e as ApiError).status).toBe(400);
      expect((e as ApiError).body).toEqual({ code: 400, reason: 'Bad Request', message: expect.stringContaining('position 5') });
    }
  });
});
