"""Rebuilds the CSV files in examples/regression/ from their public sources (see SOURCE.md).

Every source is a file that a PyPI package ships (no download at run time) or the workspace's shared
breast-cancer table:

    python3 -m venv .venv-ref
    .venv-ref/bin/pip install numpyro jax arviz pandas statsmodels scikit-learn
    .venv-ref/bin/pip download --no-deps ISLP==0.6.0 -d /tmp/islp    # only its Bikeshare.csv is read
    .venv-ref/bin/python examples/regression/prepare_data.py /tmp/islp/islp-0.6.0-py3-none-any.whl \
        /work/shared/data/breast_cancer.csv

Numbers are written as pandas writes float64 (shortest round-trip repr) unless a comment says a value
is rounded. Subsamples use numpy's default_rng with the seed stated.
"""
import gzip
import os
import sys
import zipfile

import numpy as np
import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))


def package_file(package, *parts):
    module = __import__(package)
    return os.path.join(os.path.dirname(module.__file__), *parts)


def write(frame, name):
    path = os.path.join(HERE, name + ".csv")
    frame.to_csv(path, index=False, lineterminator="\n")
    print(f"{path}: {len(frame)} rows, {frame.shape[1]} columns, {os.path.getsize(path)} bytes")


def breast_cancer(path):
    frame = pd.read_csv(path)  # copied unchanged
    write(frame, "breast_cancer")


def diabetes():
    # scikit-learn's raw (unscaled) diabetes table: 10 predictors, space separated, target in its own file
    names = ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"]
    with gzip.open(package_file("sklearn", "datasets", "data", "diabetes_data_raw.csv.gz"), "rt") as f:
        x = pd.read_csv(f, sep=" ", header=None, names=names)
    with gzip.open(package_file("sklearn", "datasets", "data", "diabetes_target.csv.gz"), "rt") as f:
        y = pd.read_csv(f, header=None, names=["y"])
    frame = pd.concat([x, y["y"].round().astype(int)], axis=1)
    write(frame, "diabetes")


def longley():
    frame = pd.read_csv(package_file("statsmodels", "datasets", "longley", "longley.csv"))
    write(frame.drop(columns="Obs"), "longley")


def randhie():
    frame = pd.read_csv(package_file("statsmodels", "datasets", "randhie", "randhie.csv"))
    rows = np.sort(np.random.default_rng(20240601).choice(len(frame), size=2000, replace=False))
    frame = frame.iloc[rows].reset_index(drop=True)
    frame["mdvis"] = frame["mdvis"].astype(int)
    write(frame, "randhie")


def anes96():
    frame = pd.read_csv(package_file("statsmodels", "datasets", "anes96", "anes96.csv"), sep="\t")
    frame.columns = [c.strip("'") for c in frame.columns]
    columns = ["vote", "PID", "selfLR", "educ"]
    grouped = frame[columns].astype(int).groupby(columns).size().reset_index(name="count")
    write(grouped, "anes96_vote")


def bikeshare(wheel):
    with zipfile.ZipFile(wheel) as z, z.open("ISLP/data/Bikeshare.csv") as f:
        frame = pd.read_csv(f)
    frame["cloudy"] = (frame["weathersit"] == "cloudy/misty").astype(int)
    frame["rain"] = frame["weathersit"].isin(["light rain/snow", "heavy rain/snow"]).astype(int)

    # hourly: casual riders out of all riders (binomial), 1,000 of the 8,645 hours
    hourly = frame.copy()
    angle = 2 * np.pi * hourly["hr"] / 24
    hourly["hr_sin"] = np.round(np.sin(angle), 6)
    hourly["hr_cos"] = np.round(np.cos(angle), 6)
    rows = np.sort(np.random.default_rng(20240602).choice(len(hourly), size=1000, replace=False))
    hourly = hourly.iloc[rows].reset_index(drop=True)
    write(hourly[["day", "hr", "casual", "registered", "bikers", "workingday", "temp", "atemp", "hum",
                  "windspeed", "cloudy", "rain", "hr_sin", "hr_cos"]], "bikeshare_hourly")

    # daily: casual riders per day (Poisson) with exposure = the hours the day has records for
    daily = frame.groupby("day").agg(casual=("casual", "sum"), hours=("hr", "size"),
                                     workingday=("workingday", "first"), temp=("temp", "mean"),
                                     hum=("hum", "mean"), windspeed=("windspeed", "mean"),
                                     cloudy=("cloudy", "mean"), rain=("rain", "mean")).reset_index()
    daily["log_hours"] = np.log(daily["hours"])
    for c in ["temp", "hum", "windspeed", "cloudy", "rain"]:
        daily[c] = daily[c].round(6)  # means of hourly values, rounded to 6 decimals
    write(daily[["casual", "log_hours", "workingday", "temp", "hum", "windspeed", "cloudy", "rain"]],
          "bikeshare_daily")


def main(wheel, breast_cancer_csv):
    breast_cancer(breast_cancer_csv)
    diabetes()
    longley()
    randhie()
    anes96()
    bikeshare(wheel)


if __name__ == "__main__":
    main(*sys.argv[1:3])
