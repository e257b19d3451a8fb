"""Reference values of rank-normalized split R-hat and bulk/tail ESS, computed by ArviZ, for
Midpoint's ConvergenceDiagnostics tests.

    pip install arviz==0.23.4 numpy
    python3 scripts/make_mcmc_diagnostics_fixture.py > Tests/MidpointMetricsTests/Fixtures/mcmc-diagnostics.json

Draws are stored as hex-float strings so that they round-trip exactly.
Each case is a set of chains (AR(1) processes with different correlations, shifts, scales and ties)
with ArviZ's rhat(method="rank"), ess(method="bulk") and ess(method="tail").
"""
import json
import warnings

import numpy as np

warnings.simplefilter("ignore")
import arviz as az  # noqa: E402


def ar1(rng, chains, draws, phi):
    x = np.zeros((chains, draws))
    x[:, 0] = rng.standard_normal(chains) / np.sqrt(1 - phi * phi)
    for t in range(1, draws):
        x[:, t] = phi * x[:, t - 1] + rng.standard_normal(chains)
    return x


def main():
    rng = np.random.default_rng(20261127)
    cases = {}
    cases["iid"] = rng.standard_normal((4, 100))
    cases["ar0.9-odd"] = ar1(rng, 4, 101, 0.9)
    shifted = ar1(rng, 4, 100, 0.5)
    shifted[0] += 1.0
    cases["shifted-chain"] = shifted
    scaled = ar1(rng, 4, 100, 0.3)
    scaled[1] *= 3.0
    cases["scaled-chain"] = scaled
    cases["ties"] = np.round(ar1(rng, 3, 80, 0.6) * 2.0)
    cases["anticorrelated"] = ar1(rng, 2, 64, -0.7)
    cases["ar0.99-long"] = ar1(rng, 4, 400, 0.99)
    out = []
    for name, x in cases.items():
        out.append({
            "name": name,
            # Hex floats: exact in any parser (a decimal JSON number may be read an ulp off, and the
            # folded R-hat ranks |x - median|, where one ulp can make or break a tie).
            "draws": [[float(v).hex() for v in chain] for chain in x],
            "rhat": float(az.rhat(x, method="rank")),
            "ess_bulk": float(az.ess(x, method="bulk")),
            "ess_tail": float(az.ess(x, method="tail")),
        })
    print(json.dumps({"generator": f"arviz {az.__version__}, numpy {np.__version__}", "cases": out}, indent=1))


if __name__ == "__main__":
    main()
