"""sha256 of the Python package's results that a speed change must leave unchanged
(docs/PERFORMANCE.md): `Fit.to_dict()`, `.summary()` and `.indirect` of model 58 at n = 2,000
(B = 5000 on one thread and on all, BCa with B = 2000, no bootstrap). Run with the old and the
new package installed and diff the outputs:  python benches/compare/bit_identity.py > new.txt
"""
import hashlib
import json
import sys

sys.path.insert(0, __file__.rsplit("/", 1)[0])
import cipa  # noqa: E402
from python_pyprocessmacro import make_data  # noqa: E402

d = make_data(2000)
kw = dict(model=58, x="x", y="y", m=["m1", "m2"], w="w", seed=1)
runs = [("b5000_t1", dict(boot=5000, threads=1)), ("b5000", dict(boot=5000)),
        ("bca", dict(boot=2000, ci="bca")), ("b0", dict(boot=0))]
for name, extra in runs:
    r = cipa.fit(d, **kw, **extra)
    digest = {
        "to_dict": json.dumps(r.to_dict(), sort_keys=True),
        "summary": str(r.summary()),
        "indirect": r.indirect.to_csv(),
    }
    for part, text in digest.items():
        print(hashlib.sha256(text.encode()).hexdigest(), f"{name}.{part}")
