#!/usr/bin/env python3
"""Reports import circles between the files of a Rust crate's `src/`.

Each path a file names (`use` lines and inline `crate::`/`super::`/`self::`
paths) is resolved to the file that defines the item, following `pub use`
re-exports, so a facade `mod.rs` or `lib.rs` is not mistaken for the owner.
Declaring a child module (`mod x;`) is not an import; re-exporting from it is.
Exits 1 and prints each circle when there is one.

With `--layers a,b,c`, also checks that a file in folder `b` imports
nothing from folder `c` (a folder may import only the folders listed before
it); files outside the listed folders are not checked.

Usage: import_cycles.py <crate>/src [--layers a,b,c] [-v]
"""
import re
import sys
from pathlib import Path

args = [a for a in sys.argv[1:] if a != "-v"]
layers = []
if "--layers" in args:
    i = args.index("--layers")
    layers = args[i + 1].split(",")
    del args[i : i + 2]
root = Path(args[0] if args else "runtime/src")


def module_of(path: Path) -> tuple:
    rel = path.relative_to(root).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] in ("lib", "mod", "main"):
        parts = parts[:-1]
    return tuple(parts)


files = {module_of(p): p for p in root.rglob("*.rs")}


def strip(text: str) -> str:
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    text = re.sub(r"//[^\n]*", "", text)
    text = re.sub(r"\bpub\(in [^)]*\)", "pub", text)  # a visibility, not an import
    return re.sub(r'"(?:\\.|[^"\\])*"', '""', text)


def expand_use(tree: str) -> list:
    """`a::{b, c::{d, e}}` -> ['a::b', 'a::c::d', 'a::c::e']."""
    tree = re.sub(r"\s+", "", tree)
    out = []

    def walk(prefix: str, t: str):
        depth, start, items = 0, 0, []
        for i, ch in enumerate(t):
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
            elif ch == "," and depth == 0:
                items.append(t[start:i])
                start = i + 1
        items.append(t[start:])
        for item in filter(None, items):
            m = re.match(r"^(.*?)::\{(.*)\}$", item)
            if m:
                walk(prefix + m.group(1) + "::", m.group(2))
            elif item.startswith("{") and item.endswith("}"):
                walk(prefix, item[1:-1])
            else:
                out.append(prefix + re.sub(r"as\w+$", "", item.replace(" ", "")))

    walk("", tree)
    return out


def split_inline_modules(module: tuple, text: str):
    """The file's own text and its inline `mod x { ... }` blocks, each with
    the module path its `self`/`super` are relative to."""
    parts, out, pos = [], [], 0
    for m in re.finditer(r"\bmod\s+(\w+)\s*\{", text):
        if m.start() < pos:
            continue
        depth, i = 0, m.end() - 1
        while i < len(text):
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            if depth == 0:
                break
            i += 1
        out.append(text[pos:m.start()])
        # Test modules may use anything; they are not part of the graph.
        if not re.search(r"#\[cfg\(test\)\]\s*$", text[:m.start()]):
            parts.extend(split_inline_modules(module + (m.group(1),), text[m.end():i]))
        pos = i + 1
    out.append(text[pos:])
    return [(module, "".join(out))] + parts


texts = {m: strip(p.read_text()) for m, p in files.items()}
scopes = {m: split_inline_modules(m, t) for m, t in texts.items()}
texts = {m: scopes[m][0][1] for m in texts}
children = {m: set(re.findall(r"\bmod\s+(\w+)\s*;", t)) for m, t in texts.items()}
reexports = {}
for m, t in texts.items():
    for u in re.findall(r"\bpub(?:\([^)]*\))?\s+use\s+([^;]+);", t):
        for path in expand_use(u):
            name = path.split("::")[-1]
            if name not in ("*", "self"):
                reexports.setdefault(m, {})[name] = path


def absolute(module: tuple, path: str):
    segs = [s for s in path.split("::") if s]
    if not segs:
        return None
    if segs[0] == "crate":
        return tuple(segs[1:])
    base = list(module)
    if segs[0] in ("self", "super"):
        while segs and segs[0] in ("self", "super"):
            if segs.pop(0) == "super":
                base = base[:-1]
        return tuple(base + segs)
    if segs[0] in children.get(module, ()):
        return tuple(base + segs)
    return None  # an external crate or a prelude name


def owner(path: tuple, seen=()):
    """The file module that defines the item `path` names."""
    for cut in range(len(path), -1, -1):
        mod = path[:cut]
        if mod in files:
            rest = path[cut:]
            if not rest:
                return mod
            target = reexports.get(mod, {}).get(rest[0])
            if target and (mod, rest[0]) not in seen:
                resolved = absolute(mod, target)
                if resolved is not None:
                    return owner(resolved + rest[1:], seen + ((mod, rest[0]),))
            return mod
    return None


edges = {m: set() for m in files}
for m in files:
    for scope, t in scopes[m]:
        paths = [p for u in re.findall(r"\buse\s+([^;]+);", t) for p in expand_use(u)]
        paths += re.findall(r"\b((?:crate|super|self)(?:::\w+)+)", t)
        for p in paths:
            a = absolute(scope, p)
            if a is None:
                continue
            o = owner(a)
            if o is not None and o != m:
                edges[m].add(o)

# Tarjan's strongly connected components.
index, low, stack, on, sccs, counter = {}, {}, [], set(), [], [0]


def visit(v):
    index[v] = low[v] = counter[0]
    counter[0] += 1
    stack.append(v)
    on.add(v)
    for w in edges[v]:
        if w not in index:
            visit(w)
            low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop()
            on.discard(w)
            comp.append(w)
            if w == v:
                break
        if len(comp) > 1:
            sccs.append(comp)


sys.setrecursionlimit(10000)
for v in files:
    if v not in index:
        visit(v)

name = lambda m: str(files[m].relative_to(root))
if "-v" in sys.argv:
    for m in sorted(files):
        print(name(m), "->", ", ".join(sorted(name(o) for o in edges[m])))
failed = False
for comp in sccs:
    failed = True
    inner = sorted(name(m) for m in comp)
    print("import circle:", " <-> ".join(inner))
    for m in sorted(comp):
        print("   ", name(m), "->", ", ".join(sorted(name(o) for o in edges[m] if o in comp)))


def layer(m):
    """The index of the folder `m` sits in, or None outside the layers."""
    if len(files[m].relative_to(root).parts) > 1 and m[0] in layers:
        return layers.index(m[0])
    return None


for m in sorted(files):
    here = layer(m)
    if here is None:
        continue
    for o in sorted(edges[m]):
        there = layer(o)
        if there is None or there > here:
            if there is None and len(files[o].relative_to(root).parts) > 1:
                continue  # a folder outside the layers
            failed = True
            print(f"layer violation: {name(m)} ({layers[here]}) imports {name(o)}")
if failed:
    sys.exit(1)
extra = f", layers {' < '.join(layers)} respected" if layers else ""
print(f"no import circles among {len(files)} files in {root}{extra}")
