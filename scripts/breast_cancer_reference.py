"""Long reference run for the built-in `breast-cancer` posterior (Bayesian logistic regression,
standardized features with n - 1 standard deviations, intercept, N(0, 1) prior on every coefficient),
independent of Midpoint's code: preconditioned MALA in NumPy with the inverse Hessian at the MAP as
its metric, which makes this near-Gaussian posterior easy to mix.

    pip install numpy arviz==0.23.4
    python3 scripts/breast_cancer_reference.py Sources/MidpointLogConcave/Resources/breast_cancer.csv \
        > docs/breast-cancer/reference.csv

Writes, per coefficient: posterior mean and sd, their Monte Carlo standard errors, bulk ESS and R-hat
(ArviZ) over 8 chains × 50,000 draws after 5,000 warm-up steps.
"""
import sys
import warnings

import numpy as np

warnings.simplefilter("ignore")
import arviz as az  # noqa: E402


def main(path):
    with open(path) as f:
        header = f.readline().strip().split(",")
    data = np.loadtxt(path, delimiter=",", skiprows=1)
    label = header.index("benign")
    y = data[:, label]
    features = np.delete(data, label, axis=1)
    names = ["intercept"] + [h for h in header if h != "benign"]
    z = (features - features.mean(0)) / features.std(0, ddof=1)
    x = np.hstack([np.ones((len(y), 1)), z])
    p = x.shape[1]

    def f(beta):
        t = x @ beta
        return np.sum(np.logaddexp(0, t) - y * t) + 0.5 * beta @ beta

    def grad(beta):
        t = x @ beta
        return x.T @ (1 / (1 + np.exp(-t)) - y) + beta

    beta = np.zeros(p)
    for _ in range(100):  # Newton to the MAP
        t = x @ beta
        s = 1 / (1 + np.exp(-t))
        hess = (x.T * (s * (1 - s))) @ x + np.eye(p)
        beta = beta - np.linalg.solve(hess, grad(beta))
    t = x @ beta
    s = 1 / (1 + np.exp(-t))
    hess = (x.T * (s * (1 - s))) @ x + np.eye(p)
    cov = np.linalg.inv(hess)
    chol = np.linalg.cholesky(cov)

    rng = np.random.default_rng(1)
    chains, warmup, draws = 8, 5000, 50000
    h = 1.0  # preconditioned step; tuned during warm-up toward 0.6 acceptance
    out = np.zeros((chains, draws, p))
    for c in range(chains):
        b = beta + chol @ rng.standard_normal(p) * 2
        fb, gb = f(b), grad(b)
        accepted = 0
        for n in range(warmup + draws):
            mean_fwd = b - h * cov @ gb
            prop = mean_fwd + np.sqrt(2 * h) * chol @ rng.standard_normal(p)
            fp, gp = f(prop), grad(prop)
            mean_bwd = prop - h * cov @ gp
            prec = hess  # (Σ)^{-1}
            d_fwd = prop - mean_fwd
            d_bwd = b - mean_bwd
            log_q_fwd = -d_fwd @ prec @ d_fwd / (4 * h)
            log_q_bwd = -d_bwd @ prec @ d_bwd / (4 * h)
            if np.log(rng.uniform()) < fb - fp + log_q_bwd - log_q_fwd:
                b, fb, gb = prop, fp, gp
                accepted += 1
            if n < warmup and n % 100 == 99:
                rate = accepted / 100
                h *= np.exp(rate - 0.6)
                accepted = 0
            if n >= warmup:
                out[c, n - warmup] = b
    print("parameter,mean,sd,mcse_mean,mcse_sd,ess_bulk,r_hat")
    for j, name in enumerate(names):
        a = out[:, :, j]
        print(f"{name},{a.mean():.10g},{a.std(ddof=1):.10g},{float(az.mcse(a, method='mean')):.4g},"
              f"{float(az.mcse(a, method='sd')):.4g},{float(az.ess(a, method='bulk')):.1f},{float(az.rhat(a)):.5f}")


if __name__ == "__main__":
    main(sys.argv[1])
