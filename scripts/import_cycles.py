#!/usr/bin/env python3
"""Checks the architecture rules of README "Architecture" on src/:
- no two files import each other, directly or in a ring (`use crate::…`,
  `use super::…`, `crate::…::` paths in code, a module calling its child);
- each layer imports only the layers below it (LOWER says which).
Prints every ring and every import against the layers; exits 1 if any.
Usage: python3 scripts/import_cycles.py [SRC_DIR]"""

import os
import re
import sys

SRC = sys.argv[1] if len(sys.argv) > 1 else "src"


def module_of(path):
    rel = os.path.relpath(path, SRC)[:-3].split(os.sep)
    if rel[-1] in ("mod", "lib", "main"):
        rel = rel[:-1]
    return tuple(rel)


def files():
    for root, _, names in os.walk(SRC):
        for name in names:
            if name.endswith(".rs"):
                yield os.path.join(root, name)


def strip_tests(text):
    # `#[cfg(test)] mod tests { … }` may use anything; it is not the file's API.
    cut = re.search(r"#\[cfg\(test\)\]\s*mod tests", text)
    return text[: cut.start()] if cut else text


def expand(path):
    """`a::{b, c::{d, e}}` -> `a::b`, `a::c::d`, `a::c::e`."""
    depth, start = 0, path.find("{")
    if start < 0:
        return [path]
    head = path[:start]
    body, items, level, current = path[start + 1 : path.rfind("}")], [], 0, ""
    for ch in body:
        if ch == "," and level == 0:
            items.append(current)
            current = ""
            continue
        level += ch == "{"
        level -= ch == "}"
        current += ch
    items.append(current)
    out = []
    for item in items:
        item = item.strip()
        if item and item != "self":
            out.extend(expand(head + item))
        elif item == "self":
            out.append(head.rstrip(":"))
    return out


def paths(text):
    """Every `crate::…` / `super::…` path a file names, use groups expanded."""
    found = []
    for use in re.finditer(r"\buse\s+((?:crate|super)::[^;]+);", text, re.S):
        found.extend(expand(re.sub(r"\s+", "", use.group(1))))
    code = re.sub(r"\buse\s+[^;]+;", "", text)
    found.extend(m.group(0) for m in re.finditer(r"\b(?:crate|super)(?:::\w+)+", code))
    for path in found:
        parts = [p for p in re.split(r"::", re.sub(r"\s+as\s+\w+$", "", path)) if p]
        parts = [re.sub(r"as\w+$", "", p) for p in parts]
        yield parts[0], parts[1:]


# Which top-level modules each layer may import (besides itself). The
# small leaf modules (clock, config, error, telemetry) serve every layer.
LEAVES = {"clock", "config", "error", "telemetry"}
LOWER = {
    "domain": set(),
    "handout": {"domain"},
    "db": {"domain"},
    "catalog": {"domain", "db"},
    "services": {"domain", "db", "handout", "catalog"},
    "web": {"domain", "db", "handout", "catalog", "services"},
}


def layer_problems(modules, deps):
    problems = []
    for mod, targets in deps.items():
        if not mod or mod[0] not in LOWER:
            continue
        allowed = LOWER[mod[0]] | LEAVES | {mod[0]}
        for target in targets:
            if target and target[0] not in allowed:
                problems.append(f"layer: {modules[mod]} imports {modules[target]}")
    return sorted(problems)


def main():
    modules = {module_of(p): p for p in files()}
    deps = {m: set() for m in modules}
    for mod, path in modules.items():
        text = strip_tests(open(path, encoding="utf-8").read())
        for prefix, parts in paths(text):
            # `super` is the parent of this file's module, whether the file
            # is `x.rs` or `x/mod.rs`.
            target = () if prefix == "crate" else mod[:-1]
            best = None
            for part in parts:
                target = target + (part,)
                if target in modules:
                    best = target
            # A file may lean on the modules that contain it (`super::x` in
            # a child): that is nesting, not a ring.
            if best and best != mod and mod[: len(best)] != best:
                deps[mod].add(best)
        # A module file that calls into its own children (`links::routes`).
        for child in re.findall(r"^\s*(?:pub(?:\([^)]*\))?\s+)?mod\s+(\w+)\s*;", text, re.M):
            if mod + (child,) in modules and re.search(rf"\b{child}::\w", text):
                deps[mod].add(mod + (child,))
    # Tarjan's strongly connected components.
    index, low, stack, on, rings, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in deps[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            ring = []
            while True:
                w = stack.pop()
                on.discard(w)
                ring.append(w)
                if w == v:
                    break
            if len(ring) > 1:
                rings.append(ring)

    sys.setrecursionlimit(10000)
    for v in deps:
        if v not in index:
            visit(v)
    for ring in rings:
        print("ring:", " -> ".join(modules[m] for m in sorted(ring)))
    layers = layer_problems(modules, deps)
    for problem in layers:
        print(problem)
    print(
        f"{len(modules)} files, {sum(len(d) for d in deps.values())} imports, "
        f"{len(rings)} rings, {len(layers)} imports against the layers"
    )
    return 1 if rings or layers else 0


if __name__ == "__main__":
    sys.exit(main())
