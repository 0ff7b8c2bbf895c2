#!/usr/bin/env python3
"""Code bytes per function of a wasm module with a name section (before wasm-opt strips it);
with two modules, the difference per function. Usage: wasm-sizes.py new.wasm [old.wasm] [-n 40]"""
import re, sys
from collections import defaultdict

def leb(b, i):
    r = s = 0
    while True:
        x = b[i]; i += 1
        r |= (x & 0x7f) << s; s += 7
        if x < 0x80:
            return r, i

def functions(path):
    b = open(path, 'rb').read()
    i, imports, bodies, names = 8, 0, [], {}
    while i < len(b):
        sid = b[i]; size, j = leb(b, i + 1); end = j + size
        if sid == 2:  # imports: count function imports
            n, k = leb(b, j)
            for _ in range(n):
                for _ in range(2):
                    l, k = leb(b, k); k += l
                kind = b[k]; k += 1
                if kind == 0: _, k = leb(b, k); imports += 1
                elif kind == 1: k += 1; fl, k = leb(b, k); _, k = leb(b, k); k = leb(b, k)[1] if fl & 1 else k
                elif kind == 2: fl, k = leb(b, k); _, k = leb(b, k); k = leb(b, k)[1] if fl & 1 else k
                elif kind == 3: k += 2
                else: _, k = leb(b, k)
        elif sid == 10:
            n, k = leb(b, j)
            for _ in range(n):
                l, k = leb(b, k); bodies.append(l); k += l
        elif sid == 0:
            l, k = leb(b, j); name = b[k:k + l].decode(); k += l
            if name == 'name':
                while k < end:
                    sub = b[k]; sl, k2 = leb(b, k + 1)
                    if sub == 1:
                        n, m = leb(b, k2)
                        for _ in range(n):
                            idx, m = leb(b, m); l, m = leb(b, m); names[idx] = b[m:m + l].decode('utf8', 'replace'); m += l
                    k = k2 + sl
        i = end
    return {names.get(imports + f, f'#{imports + f}'): s for f, s in enumerate(bodies)}

def short(name):
    """A readable key for a v0-mangled name: its identifiers in order (`service_coordinator
    coordinator Coordinator restore`); disambiguators (`s<base62>_`) and tags are dropped."""
    if not name.startswith('_R'):
        return name
    words, i = [], 2
    while i < len(name):
        c = name[i]
        if c.isdigit():
            j = i
            while j < len(name) and name[j].isdigit():
                j += 1
            n = int(name[i:j])
            if j < len(name) and name[j] == '_':  # a punycode/underscore-led identifier
                j += 1
            words.append(name[j:j + n])
            i = j + n
        elif c in 'sB':  # a disambiguator, or a back reference: base-62 up to `_`
            i = name.find('_', i) + 1 or len(name)
        else:
            i += 1
    return ' '.join(w for w in words if w != 'service_coordinator')

argv = sys.argv[1:]
top = 40
if '-n' in argv:
    k = argv.index('-n')
    top = int(argv[k + 1])
    del argv[k:k + 2]
args = argv
new = defaultdict(int)
for n, s in functions(args[0]).items(): new[short(n)] += s
old = defaultdict(int)
if len(args) == 2:
    for n, s in functions(args[1]).items(): old[short(n)] += s
diff = len(args) == 2
rows = sorted(((new[k] - old[k], new[k], k) for k in set(new) | set(old)), reverse=True)
print(f'total {sum(new.values())} bytes of code' + (f', {sum(new.values()) - sum(old.values()):+d}' if diff else ''))
for d, n, k in rows[:top]:
    print(f'{d:+8d} {n:8d}  {k}' if diff else f'{n:8d}  {k}')
