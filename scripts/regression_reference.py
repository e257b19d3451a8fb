#!/usr/bin/env python3
"""Independent NUTS reference posteriors for the regression model files (JSON + CSV) in examples/regression/.

The model files follow the regression spec (docs: the `regression` model-file contract): this script has its
own reader for the JSON and the CSV and its own NumPyro model, written from the spec alone, and shares no code
with Midpoint. NumPyro samples the spec's SAMPLED parameters — α at the transformed predictors, β on the
transformed scale, σ > 0 through NumPyro's own log transform (so the unconstrained coordinate is log σ, as in
the spec) — and every summary is written on the REPORTED scale: `Intercept`, `b[NAME]`, `sigma`, in that order.

Environment (CPU only; a venv that .gitignore covers):

    python3 -m venv .venv-ref
    .venv-ref/bin/pip install numpyro jax arviz pandas scipy
    # used for the files written in docs/regressions: numpyro 0.22.0, jax/jaxlib 0.10.2, arviz 0.23.4

Regenerate every reference (about 10 minutes on one core; chains run one after another on one thread):

    nice -n 10 .venv-ref/bin/python scripts/regression_reference.py examples/regression/*.json

Writes, for each model NAME, into docs/regressions/NAME/:
  reference.csv  parameter,mean,sd,q05,q50,q95,ess_bulk,rhat,mcse_mean — a long run: 4 chains × 10,000 draws
                 after 2,000 warm-up (dense mass matrix, target acceptance 0.9), extended by 5,000 draws per chain
                 at a time (up to 25,000) until every parameter's bulk ESS is at least 10,000.
  nuts.csv       setting,chains,warmup,draws,gradients_total,gradients_warmup,min_ess_bulk,min_ess_per_gradient,
                 max_rhat,seconds — NumPyro NUTS at Stan-like defaults (4 chains, 1,000 warm-up, 1,000 draws,
                 target acceptance 0.8, max tree depth 10, initial values uniform(-2, 2) on the unconstrained
                 scale), once with a diagonal mass matrix (`diag`) and once with a dense one (`dense`).
                 Gradients are leapfrog steps (NumPyro's num_steps) of all chains, warm-up included; the
                 minimum ESS is over the reported parameters; seconds are wall time including JIT compilation.
  summary.json   sizes, settings, divergences, condition numbers of the posterior covariance and correlation
                 of the sampled parameters (α, β, log σ) from the reference draws, and of ZᵀZ.
  exact_check.csv  gaussian models (no weights, center/standardize, normal or flat coefficient prior): the
                 reference means and sds against the posterior computed without sampling — β given σ in closed
                 form (conjugate), α and log σ by quadrature (see exact_check) — and least squares.

Diagnostics are ArviZ's rank-normalized split R-hat, bulk ESS and MCSE of the mean. Seeds are fixed.
Options: --out DIR (default docs/regressions), --skip-nuts, --skip-reference, --draws N, --warmup N.
"""
import os

os.environ.setdefault("XLA_FLAGS", "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1")
os.environ.setdefault("JAX_PLATFORMS", "cpu")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse  # noqa: E402
import csv  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import re  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402

import numpy as np  # noqa: E402

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpyro  # noqa: E402
import numpyro.distributions as dist  # noqa: E402
from numpyro.distributions import constraints  # noqa: E402
from numpyro.infer import MCMC, NUTS  # noqa: E402

warnings.simplefilter("ignore", FutureWarning)
import arviz as az  # noqa: E402

numpyro.set_platform("cpu")
numpyro.enable_x64()

FAMILIES = ("gaussian", "bernoulli", "poisson", "binomial")
TRANSFORMS = ("none", "center", "standardize")
KNOWN_FIELDS = {"kind", "family", "data", "response", "predictors", "intercept", "predictor_transform",
                "trials", "weights", "offset", "priors"}


class SpecError(ValueError):
    pass


# ----------------------------------------------------------------------------------------------------------
# Reading a model file


def parse_prior(text, allowed):
    """'normal(0, 2.5)' -> ('normal', [0.0, 2.5]); 'flat' -> ('flat', [])."""
    text = text.strip()
    if text == "flat":
        return ("flat", [])
    m = re.fullmatch(r"([a-z_]+)\s*\((.*)\)", text)
    if not m:
        raise SpecError(f"cannot read prior {text!r}")
    name, args = m.group(1), [a.strip() for a in m.group(2).split(",")]
    if name not in allowed:
        raise SpecError(f"prior {name!r} not allowed here (allowed: {', '.join(sorted(allowed))})")
    try:
        values = [float(a) for a in args]
    except ValueError:
        raise SpecError(f"prior {text!r} has a non-numeric argument")
    if len(values) != allowed[name]:
        raise SpecError(f"prior {name} takes {allowed[name]} arguments, got {len(values)}")
    if not all(math.isfinite(v) for v in values):
        raise SpecError(f"prior {text!r} has a non-finite argument")
    scale = {"normal": 1, "student_t": 2, "cauchy": 1, "half_normal": 0, "half_student_t": 1,
             "half_cauchy": 0, "exponential": 0}[name]
    if values[scale] <= 0:
        raise SpecError(f"prior {text!r}: scale/rate must be positive")
    if name in ("student_t", "half_student_t") and values[0] <= 0:
        raise SpecError(f"prior {text!r}: degrees of freedom must be positive")
    return (name, values)


LOCATION_PRIORS = {"normal": 2, "student_t": 3, "cauchy": 2}
SIGMA_PRIORS = {"half_normal": 1, "half_student_t": 2, "half_cauchy": 1, "exponential": 1,
                "normal": 2, "student_t": 3, "cauchy": 2}


def read_csv(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    if not rows:
        raise SpecError(f"{path}: empty CSV")
    header = [h.strip() for h in rows[0]]
    if len(set(header)) != len(header):
        raise SpecError(f"{path}: duplicate column names")
    body = [r for r in rows[1:] if r and any(c.strip() for c in r)]
    data = np.empty((len(body), len(header)))
    for i, r in enumerate(body):
        if len(r) != len(header):
            raise SpecError(f"{path}: row {i + 2} has {len(r)} fields, header has {len(header)}")
        for j, c in enumerate(r):
            try:
                data[i, j] = float(c)
            except ValueError:
                raise SpecError(f"{path}: row {i + 2}, column {header[j]}: {c!r} is not a number")
    if not np.all(np.isfinite(data)):
        raise SpecError(f"{path}: non-finite value")
    return header, data


def mad(y):
    return 1.4826 * np.median(np.abs(y - np.median(y)))


def load_model(json_path):
    with open(json_path) as f:
        spec = json.load(f)
    unknown = set(spec) - KNOWN_FIELDS
    if unknown:
        raise SpecError(f"{json_path}: unknown fields {sorted(unknown)}")
    if spec.get("kind", "regression") != "regression":
        raise SpecError(f"{json_path}: kind must be 'regression'")
    family = spec.get("family", "gaussian")
    if family not in FAMILIES:
        raise SpecError(f"{json_path}: unknown family {family!r}")
    if "data" not in spec or "response" not in spec:
        raise SpecError(f"{json_path}: 'data' and 'response' are required")
    header, data = read_csv(os.path.join(os.path.dirname(os.path.abspath(json_path)), spec["data"]))
    col = {h: j for j, h in enumerate(header)}

    def column(field):
        name = spec.get(field)
        if name is None:
            return None, None
        if name not in col:
            raise SpecError(f"{json_path}: {field} column {name!r} not in the CSV")
        return name, data[:, col[name]]

    response, y = column("response")
    trials_name, trials = column("trials")
    weights_name, weights = column("weights")
    offset_name, offset = column("offset")
    if family == "binomial" and trials is None:
        raise SpecError(f"{json_path}: binomial needs 'trials'")
    if family != "binomial" and trials is not None:
        raise SpecError(f"{json_path}: 'trials' is for binomial only")
    special = [n for n in (response, trials_name, weights_name, offset_name) if n is not None]
    if len(set(special)) != len(special):
        raise SpecError(f"{json_path}: response/trials/weights/offset must be distinct columns")

    predictors = spec.get("predictors", "all")
    if predictors == "all":
        predictors = [h for h in header if h not in special]
    elif isinstance(predictors, list):
        for p in predictors:
            if p not in col:
                raise SpecError(f"{json_path}: predictor {p!r} not in the CSV")
            if p in special:
                raise SpecError(f"{json_path}: predictor {p!r} is also response/trials/weights/offset")
        if len(set(predictors)) != len(predictors):
            raise SpecError(f"{json_path}: duplicate predictor")
    else:
        raise SpecError(f"{json_path}: predictors must be 'all' or a list of names")
    X = data[:, [col[p] for p in predictors]] if predictors else np.zeros((len(y), 0))

    intercept = spec.get("intercept", True)
    if not isinstance(intercept, bool):
        raise SpecError(f"{json_path}: intercept must be true or false")
    transform = spec.get("predictor_transform", "center")
    if transform not in TRANSFORMS:
        raise SpecError(f"{json_path}: unknown predictor_transform {transform!r}")
    if transform != "none" and not intercept:
        raise SpecError(f"{json_path}: {transform} requires an intercept")
    means = X.mean(axis=0) if transform != "none" else np.zeros(X.shape[1])
    sds = np.ones(X.shape[1])
    if transform == "standardize":
        sds = X.std(axis=0, ddof=1)
        if np.any(sds == 0):
            bad = [p for p, s in zip(predictors, sds) if s == 0]
            raise SpecError(f"{json_path}: constant predictor(s) {bad} cannot be standardized")
    Z = (X - means) / sds

    # response checks per family
    if family == "bernoulli" and not np.all((y == 0) | (y == 1)):
        raise SpecError(f"{json_path}: bernoulli response must be 0 or 1")
    if family in ("poisson", "binomial") and not np.all((y >= 0) & (y == np.round(y))):
        raise SpecError(f"{json_path}: {family} response must be a non-negative integer")
    if trials is not None:
        if not np.all((trials >= 1) & (trials == np.round(trials))):
            raise SpecError(f"{json_path}: trials must be positive integers")
        if np.any(y > trials):
            raise SpecError(f"{json_path}: response exceeds trials")
    if weights is not None and np.any(weights < 0):
        raise SpecError(f"{json_path}: weights must be >= 0")

    priors = spec.get("priors", {})
    unknown = set(priors) - {"coefficients", "intercept", "sigma"}
    if unknown:
        raise SpecError(f"{json_path}: unknown prior blocks {sorted(unknown)}")
    coef_prior = parse_prior(priors.get("coefficients", "flat"), LOCATION_PRIORS)
    if family == "gaussian":
        m, s = float(np.median(y)), max(2.5, mad(y))
    else:
        m, s = 0.0, 2.5
    intercept_prior = parse_prior(priors["intercept"], LOCATION_PRIORS) if "intercept" in priors \
        else ("student_t", [3.0, m, s])
    if family == "gaussian":
        sigma_prior = parse_prior(priors["sigma"], SIGMA_PRIORS) if "sigma" in priors \
            else ("half_student_t", [3.0, max(2.5, mad(y))])
    else:
        if "sigma" in priors:
            raise SpecError(f"{json_path}: a sigma prior is for the gaussian family only")
        sigma_prior = None

    names = (["Intercept"] if intercept else []) + [f"b[{p}]" for p in predictors] + \
        (["sigma"] if family == "gaussian" else [])
    return dict(
        name=os.path.splitext(os.path.basename(json_path))[0], path=json_path, family=family,
        response=response, predictors=predictors, intercept=intercept, transform=transform,
        y=y, X=X, Z=Z, means=means, sds=sds,
        trials=trials, weights=weights, offset=offset,
        trials_name=trials_name, weights_name=weights_name, offset_name=offset_name,
        coef_prior=coef_prior, intercept_prior=intercept_prior, sigma_prior=sigma_prior, names=names,
    )


# ----------------------------------------------------------------------------------------------------------
# The NumPyro model (sampled parameterization)


def location_dist(prior, shape=()):
    name, a = prior
    if name == "flat":
        return dist.ImproperUniform(constraints.real if not shape else constraints.real_vector, (), shape)
    base = {"normal": lambda: dist.Normal(a[0], a[1]),
            "student_t": lambda: dist.StudentT(a[0], a[1], a[2]),
            "cauchy": lambda: dist.Cauchy(a[0], a[1])}[name]()
    return base.expand(shape).to_event(len(shape)) if shape else base


def sigma_dist(prior):
    name, a = prior
    if name == "flat":
        return dist.ImproperUniform(constraints.positive, (), ())
    if name == "half_normal":
        return dist.HalfNormal(a[0])
    if name == "half_cauchy":
        return dist.HalfCauchy(a[0])
    if name == "half_student_t":
        return dist.TruncatedDistribution(dist.StudentT(a[0], 0.0, a[1]), low=0.0)
    if name == "exponential":
        return dist.Exponential(a[0])
    if name == "normal":
        return dist.TruncatedDistribution(dist.Normal(a[0], a[1]), low=0.0)
    if name == "student_t":
        return dist.TruncatedDistribution(dist.StudentT(a[0], a[1], a[2]), low=0.0)
    if name == "cauchy":
        return dist.TruncatedDistribution(dist.Cauchy(a[0], a[1]), low=0.0)
    raise SpecError(f"unknown sigma prior {name}")


def make_model(m):
    Z = jnp.asarray(m["Z"])
    y = jnp.asarray(m["y"])
    n, p = m["Z"].shape
    offset = jnp.asarray(m["offset"]) if m["offset"] is not None else jnp.zeros(n)
    w = jnp.asarray(m["weights"]) if m["weights"] is not None else None
    trials = jnp.asarray(m["trials"]) if m["trials"] is not None else None
    family = m["family"]

    def model():
        eta = offset
        if m["intercept"]:
            eta = eta + numpyro.sample("alpha", location_dist(m["intercept_prior"]))
        if p > 0:
            beta = numpyro.sample("beta", location_dist(m["coef_prior"], (p,)))
            eta = eta + Z @ beta
        if family == "gaussian":
            sigma = numpyro.sample("sigma", sigma_dist(m["sigma_prior"]))
            ll = dist.Normal(eta, sigma).log_prob(y)
        elif family == "bernoulli":
            ll = dist.Bernoulli(logits=eta).log_prob(y)
        elif family == "poisson":
            ll = y * eta - jnp.exp(eta) - jax.scipy.special.gammaln(y + 1)
        else:
            ll = dist.Binomial(total_count=trials, logits=eta).log_prob(y)
        if w is not None:
            ll = w * ll
        numpyro.factor("loglik", jnp.sum(ll))

    return model


def reported(m, samples):
    """Sampled draws (dict of arrays with leading (chain, draw)) -> (chain, draw, k) on the reported scale."""
    cols = []
    p = len(m["predictors"])
    beta = samples["beta"] if p > 0 else None
    if m["intercept"]:
        alpha = samples["alpha"]
        shift = (beta * (m["means"] / m["sds"])).sum(-1) if p > 0 else 0.0
        cols.append(alpha - shift)
    if p > 0:
        cols.extend(list(np.moveaxis(beta / m["sds"], -1, 0)))
    if m["family"] == "gaussian":
        cols.append(samples["sigma"])
    return np.stack([np.asarray(c) for c in cols], axis=-1)


def sampled(m, samples):
    """(chain, draw, k) of the sampled parameters (α, β, log σ)."""
    cols = []
    if m["intercept"]:
        cols.append(samples["alpha"][..., None])
    if len(m["predictors"]) > 0:
        cols.append(samples["beta"])
    if m["family"] == "gaussian":
        cols.append(np.log(samples["sigma"])[..., None])
    return np.concatenate([np.asarray(c) for c in cols], axis=-1)


def diagnostics(draws):
    """draws (chain, draw, k) -> bulk ESS, rank R-hat, MCSE of the mean, each of length k."""
    ds = az.convert_to_dataset({"x": draws})
    ess = np.atleast_1d(az.ess(ds, method="bulk")["x"].values)
    rhat = np.atleast_1d(az.rhat(ds, method="rank")["x"].values)
    mcse = np.atleast_1d(az.mcse(ds, method="mean")["x"].values)
    return ess, rhat, mcse


# ----------------------------------------------------------------------------------------------------------
# Runs


def run_reference(m, outdir, warmup, draws, seed=20240611, min_ess=10000.0, max_draws=25000, chunk=5000):
    model = make_model(m)
    kernel = NUTS(model, dense_mass=True, target_accept_prob=0.9)
    mcmc = MCMC(kernel, num_warmup=warmup, num_samples=draws, num_chains=4, chain_method="sequential",
                progress_bar=False)
    t0 = time.perf_counter()
    mcmc.run(jax.random.PRNGKey(seed), extra_fields=("diverging", "num_steps"))
    parts = [mcmc.get_samples(group_by_chain=True)]
    extras = [mcmc.get_extra_fields(group_by_chain=True)]
    total = draws
    while True:
        samples = {k: np.concatenate([np.asarray(s[k]) for s in parts], axis=1) for k in parts[0]}
        rep = reported(m, samples)
        ess, rhat, mcse = diagnostics(rep)
        if ess.min() >= min_ess or total + chunk > max_draws:
            break
        mcmc.post_warmup_state = mcmc.last_state
        mcmc.num_samples = chunk  # continue from the last state, no new warm-up
        mcmc.run(mcmc.post_warmup_state.rng_key, extra_fields=("diverging", "num_steps"))
        parts.append(mcmc.get_samples(group_by_chain=True))
        extras.append(mcmc.get_extra_fields(group_by_chain=True))
        total += chunk
    seconds = time.perf_counter() - t0
    divergences = int(sum(np.asarray(e["diverging"]).sum() for e in extras))
    steps = int(sum(np.asarray(e["num_steps"]).sum() for e in extras))

    flat = rep.reshape(-1, rep.shape[-1])
    q = np.quantile(flat, [0.05, 0.5, 0.95], axis=0)
    rows = []
    for k, name in enumerate(m["names"]):
        rows.append([name, f"{flat[:, k].mean():.10g}", f"{flat[:, k].std(ddof=1):.10g}", f"{q[0, k]:.10g}",
                     f"{q[1, k]:.10g}", f"{q[2, k]:.10g}", f"{ess[k]:.1f}", f"{rhat[k]:.5f}", f"{mcse[k]:.4g}"])
    with open(os.path.join(outdir, "reference.csv"), "w", newline="") as f:
        wr = csv.writer(f, lineterminator="\n")
        wr.writerow(["parameter", "mean", "sd", "q05", "q50", "q95", "ess_bulk", "rhat", "mcse_mean"])
        wr.writerows(rows)

    theta = sampled(m, samples).reshape(-1, rep.shape[-1])
    cov = np.atleast_2d(np.cov(theta, rowvar=False))
    sd = np.sqrt(np.diag(cov))
    corr = cov / np.outer(sd, sd)
    return dict(chains=4, warmup=warmup, draws_per_chain=total, seconds=round(seconds, 1),
                divergences=divergences, gradients=steps, min_ess_bulk=float(ess.min()),
                max_rhat=float(rhat.max()), max_mcse_over_sd=float((mcse / flat.std(axis=0, ddof=1)).max()),
                cond_posterior_cov=float(np.linalg.cond(cov)), cond_posterior_corr=float(np.linalg.cond(corr)),
                reference_mean=flat.mean(axis=0).tolist(), reference_sd=flat.std(axis=0, ddof=1).tolist())


def run_nuts(m, dense, seed):
    model = make_model(m)
    kernel = NUTS(model, dense_mass=dense, target_accept_prob=0.8, max_tree_depth=10)
    mcmc = MCMC(kernel, num_warmup=1000, num_samples=1000, num_chains=4, chain_method="sequential",
                progress_bar=False)
    t0 = time.perf_counter()
    mcmc.warmup(jax.random.PRNGKey(seed), collect_warmup=True, extra_fields=("num_steps",))
    warm = int(np.asarray(mcmc.get_extra_fields()["num_steps"]).sum())
    mcmc.run(mcmc.post_warmup_state.rng_key, extra_fields=("num_steps",))
    samp = int(np.asarray(mcmc.get_extra_fields()["num_steps"]).sum())
    seconds = time.perf_counter() - t0
    rep = reported(m, {k: np.asarray(v) for k, v in mcmc.get_samples(group_by_chain=True).items()})
    ess, rhat, _ = diagnostics(rep)
    total = warm + samp
    return ["dense" if dense else "diag", 4, 1000, 1000, total, warm, f"{ess.min():.1f}",
            f"{ess.min() / total:.6g}", f"{rhat.max():.5f}", f"{seconds:.1f}"]


def exact_check(m, outdir, ref):
    """Closed-form check for a gaussian model without weights, with `center` or `standardize` and a normal (or
    flat) coefficient prior, written from the spec with NumPy only (no NumPyro, no sampling). Since Z's columns
    sum to zero, given σ the posterior factorizes: β | σ is Gaussian (conjugate: precision ZᵀZ/σ² + I/s²), and
    α | σ has density ∝ prior(α)·N(ȳ | α, σ/√n), done by quadrature; σ's marginal, with β integrated out in
    closed form and α by quadrature, is tabulated on a grid of log σ. Reported-scale means and sds follow as a
    mixture over the grid. Returns the largest |reference mean − exact mean| / reference sd, or None when the
    model is not of this kind."""
    if (m["family"] != "gaussian" or m["weights"] is not None or m["transform"] == "none"
            or m["coef_prior"][0] not in ("normal", "flat")):
        return None
    Z, n = m["Z"], m["Z"].shape[0]
    p = Z.shape[1]
    y = m["y"] - (m["offset"] if m["offset"] is not None else 0.0)
    ybar = y.mean()
    yc = y - ybar
    if m["coef_prior"][0] == "normal":
        mu0, d = m["coef_prior"][1][0], 1.0 / m["coef_prior"][1][1] ** 2
    else:
        mu0, d = 0.0, 0.0
    lam, V = np.linalg.eigh(Z.T @ Z)
    zty = V.T @ (Z.T @ yc)  # in the eigenbasis
    m0 = V.T @ np.full(p, mu0)

    def loc_logpdf(prior, x):
        name, a = prior
        if name == "flat":
            return np.zeros_like(x)
        if name == "normal":
            return -0.5 * ((x - a[0]) / a[1]) ** 2
        if name == "student_t":
            return -(a[0] + 1) / 2 * np.log1p(((x - a[1]) / a[2]) ** 2 / a[0])
        return -np.log1p(((x - a[0]) / a[1]) ** 2)

    def sigma_logpdf(s):
        name, a = m["sigma_prior"]
        if name == "flat":
            return np.zeros_like(s)
        if name == "half_normal":
            return loc_logpdf(("normal", [0.0, a[0]]), s)
        if name == "half_cauchy":
            return loc_logpdf(("cauchy", [0.0, a[0]]), s)
        if name == "half_student_t":
            return loc_logpdf(("student_t", [a[0], 0.0, a[1]]), s)
        if name == "exponential":
            return -a[0] * s
        return loc_logpdf(m["sigma_prior"], s)

    # grid on u = log σ, wide around the least-squares σ
    A = np.hstack([np.ones((n, 1)), Z])
    coef, *_ = np.linalg.lstsq(A, y, rcond=None)
    s_hat = np.sqrt(np.sum((y - A @ coef) ** 2) / max(1, n - p - 1))
    u = np.linspace(np.log(s_hat) - 4.0, np.log(s_hat) + 4.0, 8001)
    logw = np.empty_like(u)
    a_mean = np.empty_like(u)
    a_var = np.empty_like(u)
    b_mean = np.empty((len(u), p))  # in the eigenbasis
    b_var = np.empty((len(u), p))
    t = np.linspace(-12.0, 12.0, 4001)  # α grid in units of σ/√n around ȳ
    for i, ui in enumerate(u):
        s2 = math.exp(2 * ui)
        prec = lam / s2 + d
        mean = (zty / s2 + d * m0) / prec
        quad = yc @ yc / s2 + d * (m0 @ m0) - np.sum(prec * mean ** 2)
        alpha = ybar + t * math.sqrt(s2 / n)
        la = loc_logpdf(m["intercept_prior"], alpha) - 0.5 * t ** 2
        top = la.max()
        wa = np.exp(la - top)
        za = wa.sum()
        a_mean[i] = (wa * alpha).sum() / za
        a_var[i] = (wa * (alpha - a_mean[i]) ** 2).sum() / za
        log_ia = top + math.log(za) + 0.5 * math.log(s2 / n)  # ∫ prior(α) N-kernel dα, up to a constant
        logw[i] = (sigma_logpdf(np.array(math.exp(ui))) + ui  # prior of σ, Jacobian dσ = σ du
                   - n * ui - 0.5 * quad - 0.5 * np.sum(np.log(prec)) + log_ia)
        b_mean[i] = mean
        b_var[i] = 1.0 / prec
    w = np.exp(logw - logw.max())
    if w[0] > 1e-12 or w[-1] > 1e-12:
        print("   exact check: the σ grid does not cover the posterior", file=sys.stderr)
    w /= w.sum()
    # reported: Intercept = α − Σ β_j mean_j/sd_j, b = β/sd; β = V β̃ with β̃ independent given σ
    L_b = V / m["sds"][:, None]  # b = L_b β̃
    c = -(m["means"] / m["sds"]) @ V  # Intercept = α + c·β̃
    mean_int = a_mean + b_mean @ c
    var_int = a_var + b_var @ (c ** 2)
    mean_b = b_mean @ L_b.T
    var_b = b_var @ (L_b.T ** 2)
    sig = np.exp(u)
    ex_mean = np.concatenate([[w @ mean_int], w @ mean_b, [w @ sig]])
    ex_var = np.concatenate([[w @ (var_int + mean_int ** 2) - (w @ mean_int) ** 2],
                             w @ (var_b + mean_b ** 2) - (w @ mean_b) ** 2,
                             [w @ sig ** 2 - (w @ sig) ** 2]])
    ex_sd = np.sqrt(ex_var)
    ls = np.concatenate([[coef[0] - np.sum(coef[1:] * m["means"] / m["sds"])], coef[1:] / m["sds"], [s_hat]])
    rows = []
    worst = 0.0
    for k, name in enumerate(m["names"]):
        rm, rs = ref["reference_mean"][k], ref["reference_sd"][k]
        z = (rm - ex_mean[k]) / rs
        worst = max(worst, abs(z))
        rows.append([name, f"{rm:.10g}", f"{rs:.8g}", f"{ex_mean[k]:.10g}", f"{ex_sd[k]:.8g}", f"{z:.4f}",
                     f"{rs / ex_sd[k]:.4f}", f"{ls[k]:.10g}"])
    with open(os.path.join(outdir, "exact_check.csv"), "w", newline="") as f:
        wr = csv.writer(f, lineterminator="\n")
        wr.writerow(["parameter", "reference_mean", "reference_sd", "exact_mean", "exact_sd",
                     "z_mean", "sd_ratio", "least_squares"])
        wr.writerows(rows)
    return worst


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("models", nargs="+")
    ap.add_argument("--out", default="docs/regressions")
    ap.add_argument("--skip-nuts", action="store_true")
    ap.add_argument("--skip-reference", action="store_true")
    ap.add_argument("--draws", type=int, default=10000)
    ap.add_argument("--warmup", type=int, default=2000)
    args = ap.parse_args(argv)
    for path in args.models:
        m = load_model(path)
        outdir = os.path.join(args.out, m["name"])
        os.makedirs(outdir, exist_ok=True)
        n, p = m["Z"].shape
        A = m["Z"]
        summary = dict(model=m["name"], file=path, family=m["family"], n=n, p=p, transform=m["transform"],
                       intercept=m["intercept"], trials=m["trials_name"], weights=m["weights_name"],
                       offset=m["offset_name"], priors=dict(coefficients=m["coef_prior"],
                                                            intercept=m["intercept_prior"],
                                                            sigma=m["sigma_prior"]),
                       cond_ZtZ=float(np.linalg.cond(A.T @ A)) if p else None,
                       numpyro=numpyro.__version__, jax=jax.__version__, arviz=az.__version__)
        print(f"== {m['name']}: {m['family']}, n={n}, p={p}, {m['transform']}", flush=True)
        if not args.skip_reference:
            ref = run_reference(m, outdir, args.warmup, args.draws)
            summary["reference"] = {k: v for k, v in ref.items() if not k.startswith("reference_")}
            print(f"   reference: {ref['draws_per_chain']} draws/chain, min ESS {ref['min_ess_bulk']:.0f}, "
                  f"max R-hat {ref['max_rhat']:.4f}, divergences {ref['divergences']}, "
                  f"cond(cov) {ref['cond_posterior_cov']:.3g}, cond(corr) {ref['cond_posterior_corr']:.3g}, "
                  f"{ref['seconds']} s", flush=True)
            worst = exact_check(m, outdir, ref)
            if worst is not None:
                summary["exact_check_max_abs_z"] = worst
                print(f"   exact check: max |reference - exact| mean / sd = {worst:.4f}", flush=True)
        if not args.skip_nuts:
            rows = [run_nuts(m, False, 1), run_nuts(m, True, 2)]
            with open(os.path.join(outdir, "nuts.csv"), "w", newline="") as f:
                wr = csv.writer(f, lineterminator="\n")
                wr.writerow(["setting", "chains", "warmup", "draws", "gradients_total", "gradients_warmup",
                             "min_ess_bulk", "min_ess_per_gradient", "max_rhat", "seconds"])
                wr.writerows(rows)
            summary["nuts"] = [dict(zip(["setting", "chains", "warmup", "draws", "gradients_total",
                                         "gradients_warmup", "min_ess_bulk", "min_ess_per_gradient", "max_rhat",
                                         "seconds"], r)) for r in rows]
            for r in rows:
                print(f"   nuts {r[0]}: gradients {r[4]} ({r[5]} warm-up), min ESS {r[6]}, "
                      f"ESS/gradient {r[7]}, max R-hat {r[8]}, {r[9]} s", flush=True)
        spath = os.path.join(outdir, "summary.json")
        if os.path.exists(spath):  # keep the parts of an earlier run that this one skipped
            with open(spath) as f:
                old = json.load(f)
            for k in ("reference", "exact_check_max_abs_z", "nuts"):
                if k in old and k not in summary:
                    summary[k] = old[k]
        with open(spath, "w") as f:
            json.dump(summary, f, indent=1)
            f.write("\n")


if __name__ == "__main__":
    main(sys.argv[1:])
