// One IGA targetFilter language for certifications and requests (issue 18 item 3): the shapes the real tenant accepts
// in test/reference/recordings/iga-certification-templates.json, one meaning per operator, and a validator that
// walks the whole tree (a bad branch is refused even where evaluation would short-circuit).
import { describe, expect, it } from 'vitest';
import { TargetFilterError, filterBy, matchesTargetFilter, validateTargetFilter } from '../src/aic/iga/targetFilter.js';

const eq = (targetName: string, targetValue: unknown) => ({ operator: 'EQUALS', operand: { targetName, targetValue } });
const user = { userName: 'Maria.Manager', id: 'u1', roles: [{ name: 'Approver' }, { name: 'Auditor' }], active: true, age: 40, mail: '' };

describe('IGA targetFilter', () => {
  it('accepts what the recorded tenant accepts: empty OR, NOT over a one-element array, ENDS_WITH', () => {
    expect(() => validateTargetFilter({ operator: 'OR', operand: [] })).not.toThrow();
    expect(matchesTargetFilter({ operator: 'OR', operand: [] }, user)).toBe(true);
    expect(matchesTargetFilter({ operator: 'NOT', operand: [eq('userName', 'maria.manager')] }, user)).toBe(false);
    expect(matchesTargetFilter({ operator: 'NOT', operand: eq('userName', 'someone') }, user)).toBe(true);
    expect(matchesTargetFilter({ operator: 'ENDS_WITH', operand: { targetName: 'userName', targetValue: 'MANAGER' } }, user)).toBe(true);
  });

  it('compares strings case-insensitively, managed/user/<id> equal to <id>, arrays element by element', () => {
    expect(matchesTargetFilter(eq('id', 'managed/user/u1'), user)).toBe(true);
    expect(matchesTargetFilter(eq('roles.name', 'auditor'), user)).toBe(true);
    expect(matchesTargetFilter(eq('active', 'true'), user)).toBe(true);
    expect(matchesTargetFilter({ operator: 'GT', operand: { targetName: 'age', targetValue: 30 } }, user)).toBe(true);
    expect(matchesTargetFilter({ operator: 'GT', operand: { targetName: 'age', targetValue: '30' } }, user)).toBe(false);
    expect(matchesTargetFilter({ operator: 'EXISTS', operand: { targetName: 'mail' } }, user)).toBe(false);
    expect(matchesTargetFilter({ operator: 'TRUE' }, user)).toBe(true);
  });

  it('validates the whole tree, not only the branches evaluation reaches', () => {
    const shortCircuit = { operator: 'OR', operand: [{ operator: 'ALL' }, { operator: 'FROB' }] };
    expect(() => validateTargetFilter(shortCircuit)).toThrow(TargetFilterError);
    expect(() => filterBy([user], shortCircuit)).toThrow('Invalid targetFilter: Unsupported operator FROB');
    expect(() => validateTargetFilter({ operator: 'AND', operand: ['x'] })).toThrow(TargetFilterError);
    expect(() => validateTargetFilter({ operator: 'EQUALS', operand: { targetValue: 1 } })).toThrow('needs operand.targetName');
    expect(() => validateTargetFilter({ operator: 'NOT', operand: [] })).toThrow(TargetFilterError);
    expect(filterBy([user, { userName: 'bob' }], eq('userName', 'bob'))).toEqual([{ userName: 'bob' }]);
  });
});
