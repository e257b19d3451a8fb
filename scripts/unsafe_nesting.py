#!/usr/bin/env python3
"""Measures how deeply `withUnsafe…` closures nest in Swift sources.

Usage: scripts/unsafe_nesting.py [--views] [--min N] [paths…]   (default: Sources)

Prints every file whose deepest nesting of `withUnsafe…` closures is at least N (default 1), deepest
first, with the line of its deepest point, then the maximum over all files. A closure counts when its
`{` is the trailing closure of a `withUnsafe…` call (`x.withUnsafeBufferPointer { p in … }`,
`withUnsafeTemporaryAllocation(of:capacity:) { … }`); with `--views` the `Matrix.withView` and
`withMutableView` closures (which wrap one `withUnsafe…` each) count too. Comments and string literals
are skipped.
"""
import os
import re
import sys

IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def strip(text):
    """The source with comments and string literals blanked (line structure kept)."""
    out, i, n = [], 0, len(text)
    block = 0
    while i < n:
        c = text[i]
        if block:
            if text.startswith("*/", i):
                block -= 1; out.append("  "); i += 2
            elif text.startswith("/*", i):
                block += 1; out.append("  "); i += 2
            else:
                out.append("\n" if c == "\n" else " "); i += 1
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i)); i = j
        elif text.startswith("/*", i):
            block = 1; out.append("  "); i += 2
        elif text.startswith('"""', i):
            j = text.find('"""', i + 3)
            j = n if j < 0 else j + 3
            out.append("".join("\n" if ch == "\n" else " " for ch in text[i:j])); i = j
        elif c == '"':
            j = i + 1
            while j < n and text[j] != '"' and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            out.append(" " * (min(j + 1, n) - i)); i = j + 1
        else:
            out.append(c); i += 1
    return "".join(out)


VIEWS = False


def opens_closure(name):
    """Whether a call named `name` takes the pointer closure being counted."""
    return name.startswith("withUnsafe") or (VIEWS and name in ("withView", "withMutableView"))


def depth(path):
    """(deepest nesting, its line) of `withUnsafe…` closures in `path`."""
    text = strip(open(path, encoding="utf-8").read())
    stack = []          # one entry per open brace: whether it opens a withUnsafe closure
    pending = []        # paren depths at which a withUnsafe call waits for its closure
    parens, line, best = 0, 1, (0, 0)
    i = 0
    while i < len(text):
        c = text[i]
        m = IDENT.match(text, i) if (c.isalpha() or c == "_") else None
        if m:
            if opens_closure(m.group()):
                pending.append(parens)
            i = m.end()
            continue
        if c == "\n":
            line += 1
        elif c == "(":
            parens += 1
        elif c == ")":
            parens -= 1
        elif c == "{":
            unsafe = bool(pending) and pending[-1] == parens
            if unsafe:
                pending.pop()
            stack.append(unsafe)
            d = sum(stack)
            if d > best[0]:
                best = (d, line)
        elif c == "}":
            if stack:
                stack.pop()
        i += 1
    return best


def main(argv):
    global VIEWS
    minimum = 1
    if argv[:1] == ["--views"]:
        VIEWS, argv = True, argv[1:]
    if argv[:1] == ["--min"]:
        minimum, argv = int(argv[1]), argv[2:]
    roots = argv or ["Sources"]
    results = []
    for root in roots:
        files = [root] if root.endswith(".swift") else [
            os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs if f.endswith(".swift")]
        for f in files:
            d, line = depth(f)
            if d >= minimum:
                results.append((d, f, line))
    results.sort(key=lambda r: (-r[0], r[1]))
    for d, f, line in results:
        print(f"{d}  {f}:{line}")
    print(f"max nesting: {max((r[0] for r in results), default=0)}")


if __name__ == "__main__":
    main(sys.argv[1:])
