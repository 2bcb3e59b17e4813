// No runtime import loop in src/ (issue 18 item 6): a walk over the value imports of every module (`import type`
// and type-only specifiers are erased by the compiler and do not count) finds no strongly connected component.
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = join(dirname(fileURLToPath(import.meta.url)), '..', 'src');

function modules(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) modules(p, out);
    else if (/\.tsx?$/.test(name)) out.push(p);
  }
  return out;
}

/** The modules `file` imports at run time (relative specifiers only; packages cannot import back). */
function runtimeImports(file: string, known: Set<string>): string[] {
  const src = readFileSync(file, 'utf8');
  const deps: string[] = [];
  const target = (spec: string) => {
    const base = resolve(dirname(file), spec).replace(/\.js$/, '');
    return [`${base}.ts`, `${base}.tsx`].find((p) => known.has(p));
  };
  for (const m of src.matchAll(/^(?:import|export)\s+(?!type\b)([^'";]*?)\s*from\s*['"](\.[^'"]+)['"]/gm)) {
    const names = m[1]!.trim();
    const typeOnly = /^\{[^}]*\}$/.test(names) && names.slice(1, -1).split(',').every((s) => !s.trim() || s.trim().startsWith('type '));
    const t = typeOnly ? undefined : target(m[2]!);
    if (t) deps.push(t);
  }
  for (const m of src.matchAll(/^import\s+['"](\.[^'"]+)['"]/gm)) {
    const t = target(m[1]!);
    if (t) deps.push(t);
  }
  return deps;
}

/** Strongly connected components with more than one module (Tarjan). */
function loops(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.map((p) => relative(SRC, p)).sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe('module graph', () => {
  it('has no runtime import loop in src/', () => {
    const files = modules(SRC);
    const known = new Set(files);
    const graph = new Map(files.map((f) => [f, runtimeImports(f, known)]));
    expect(graph.size).toBeGreaterThan(50);
    expect(loops(graph)).toEqual([]);
  });

  it('detects a loop when there is one (the walk itself works)', () => {
    const a = join(SRC, 'a.ts');
    const b = join(SRC, 'b.ts');
    expect(loops(new Map([[a, [b]], [b, [a]]]))).toEqual([['a.ts', 'b.ts']]);
  });
});
