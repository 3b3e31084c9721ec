#!/usr/bin/env python3
"""Generates datasets/sme_example.csv and datasets/sme_example.truth.json.

A simulated survey of 400 SMEs in the collaborative-internationalization framework: network ties
(antecedent) -> collaboration activity (mediator) -> export intensity (outcome), moderated by
psychic distance, with firm size, family ownership and region as covariates. Every number is
simulated from the population model written below; no real firm is described.

Regenerate (Python 3 standard library only, deterministic for the seed):
    python3 datasets/make_sme_example.py
This is a stop-gap until cipa's own simulator (`cipa simulate`) produces the teaching datasets.
"""
import csv
import json
import math
import os
import random

SEED = 20261123
N = 400

TRUTH = {
    "collab": {"constant": 1.2, "network_ties": 0.45, "intl_experience": 0.04, "family_owned": -0.25,
               "error_sd": 0.8},
    "export_intensity": {"constant": 4.0, "collab": 5.5, "network_ties": 1.5, "psychic_distance": -2.0,
                         "collab:psychic_distance": -2.5, "log_employees": 2.0, "family_owned": -3.0,
                         "error_sd": 6.0, "heteroskedastic": "error sd grows with log_employees"},
    "exporter": {"model": "logit(p) = -6 + 0.9*collab + 0.4*network_ties - 0.5*psychic_distance + 0.5*log_employees"},
    "missing": "about 2% of collab and export_intensity cells are empty (MCAR); intl_experience uses -99 for 'no answer'",
}


def likert_mean(rng, latent, items=4, lo=1, hi=7):
    """Mean of `items` Likert items driven by a latent score (1..7 scale)."""
    vals = []
    for _ in range(items):
        v = round(latent + rng.gauss(0, 0.7))
        vals.append(min(hi, max(lo, v)))
    return sum(vals) / items


def main():
    rng = random.Random(SEED)
    here = os.path.dirname(os.path.abspath(__file__))
    rows = []
    regions = ["north", "south", "east", "west"]
    for i in range(1, N + 1):
        employees = max(1, int(round(math.exp(rng.gauss(3.2, 1.0)))))
        employees = min(employees, 249)
        size_class = "micro" if employees < 10 else ("small" if employees < 50 else "medium")
        log_emp = math.log(employees)
        family = 1 if rng.random() < 0.55 else 0
        region = regions[rng.randrange(4)]
        ties = likert_mean(rng, 4.0 + rng.gauss(0, 1.1))
        experience = max(0, round(rng.gauss(8, 5)))
        distance = round(min(5.0, max(1.0, rng.gauss(2.8, 0.9))), 2)
        t = TRUTH["collab"]
        collab_latent = (t["constant"] + t["network_ties"] * ties + t["intl_experience"] * experience
                         + t["family_owned"] * family + rng.gauss(0, t["error_sd"]))
        collab = round(min(7.0, max(1.0, collab_latent)), 2)
        e = TRUTH["export_intensity"]
        dc = distance - 2.8  # the population model is written with distance centred at its mean
        sd = e["error_sd"] * (0.6 + 0.15 * log_emp)
        y = (e["constant"] + e["collab"] * collab + e["network_ties"] * ties + e["psychic_distance"] * dc
             + e["collab:psychic_distance"] * collab * dc + e["log_employees"] * log_emp
             + e["family_owned"] * family + rng.gauss(0, sd))
        export_intensity = round(min(100.0, max(0.0, y)), 1)
        eta = -6 + 0.9 * collab + 0.4 * ties - 0.5 * distance + 0.5 * log_emp
        exporter = 1 if rng.random() < 1 / (1 + math.exp(-eta)) else 0
        row = {
            "firm_id": i, "region": region, "employees": employees, "size_class": size_class,
            "family_owned": family, "intl_experience": experience, "network_ties": ties,
            "collab": collab, "psychic_distance": distance, "export_intensity": export_intensity,
            "exporter": exporter,
        }
        if rng.random() < 0.02:
            row["collab"] = ""
        if rng.random() < 0.02:
            row["export_intensity"] = ""
        if rng.random() < 0.03:
            row["intl_experience"] = -99
        rows.append(row)
    with open(os.path.join(here, "sme_example.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
        w.writeheader()
        w.writerows(rows)
    with open(os.path.join(here, "sme_example.truth.json"), "w") as f:
        json.dump({"seed": SEED, "n": N, "generator": "datasets/make_sme_example.py",
                   "note": "psychic_distance enters the population model centred at 2.8",
                   "truth": TRUTH}, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
