// ESV value checks (aic/esv/values.ts): the size valueProblem reads without decoding is the decoded size.
import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { decodeBase64, decodedLength, MAX_VALUE_BYTES } from '../src/aic/esv/service.js';
import { valueProblem } from '../src/aic/esv/values.js';

describe('valueProblem', () => {
  it('reads the decoded size from the text: every length, padding and whitespace', () => {
    for (let len = 0; len < 200; len++) {
      const text = randomBytes(len).toString('base64');
      expect(decodedLength(text)).toBe(decodeBase64(text)!.length);
      expect(decodedLength(text)).toBe(len);
      const spaced = text.replace(/(.{7})/g, '$1\n ');
      expect(decodeBase64(spaced)!.length).toBe(len);
      expect(valueProblem(spaced, true)).toBeUndefined();
      expect(valueProblem(text, false)).toBe(len === 0 ? 'valueBase64 cannot be empty' : undefined);
    }
  });

  it('the size limit, invalid base64 and wrong types answer as before', () => {
    const at = (n: number) => Buffer.alloc(n, 1).toString('base64');
    expect(valueProblem(at(MAX_VALUE_BYTES), false)).toBeUndefined();
    expect(valueProblem(at(MAX_VALUE_BYTES + 1), false)).toBe(`The value exceeds the maximum size of ${MAX_VALUE_BYTES} bytes`);
    expect(valueProblem(at(MAX_VALUE_BYTES - 1) + '\n', true)).toBeUndefined();
    for (const bad of ['a', 'ab=', 'a===', '====', 'ab=c', 'YQ', 'Y Q', '*abc', 'YWJj=', 'YQ==YQ==']) expect(valueProblem(bad, true), bad).toBe('valueBase64 is not valid base64');
    expect(valueProblem(undefined, true)).toBe('valueBase64 is required');
    expect(valueProblem(null, true)).toBe('valueBase64 is required');
    expect(valueProblem(12, true)).toBe('valueBase64 must be a base64 encoded string');
    expect(valueProblem('', true)).toBeUndefined();
    expect(valueProblem('', false)).toBe('valueBase64 cannot be empty');
    expect(valueProblem(' \n', false)).toBe('valueBase64 cannot be empty');
  });
});
