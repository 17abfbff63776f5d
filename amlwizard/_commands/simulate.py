"""``amlwizard simulate``: run the AKS autoscaler on a traffic profile, count 503s / 504s and cost, and
optionally search the cheapest settings that keep 503s under a budget."""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

__all__ = ["add_arguments", "run"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add = parser.add_argument
    add("--profile", required=True, help="constant, ramp, spike, daily, or a CSV with an 'rps' column")
    add("--rps", type=float, default=10.0, help="base requests per second of a built-in profile")
    add("--peak-rps", type=float, help="ramp end / spike height / daily noon rate (default 2x, spike 3x)")
    add("--seconds", type=int, help="profile length (default 3600, daily 86400)")
    add("--spike-start", type=int, help="second the spike starts (default: a third in)")
    add("--spike-seconds", type=int, help="spike length (default: a third of the profile)")
    add("--no-noise", action="store_true", help="exact rates instead of Poisson arrivals")
    add("--seed", type=int, default=0, help="seed of arrivals and durations")
    add("--request-seconds", type=float, default=1.0, help="mean seconds a request takes")
    add("--duration-distribution", choices=("fixed", "exponential", "lognormal"), default="fixed")
    add("--min-replicas", type=int, default=1, help="autoscale_min_replicas")
    add("--max-replicas", type=int, default=10, help="autoscale_max_replicas")
    add("--target-utilization", type=float, default=0.7, help="autoscale target as a fraction (0.7 = 70 %%)")
    add("--refresh-seconds", type=int, default=1, help="autoscale_refresh_seconds")
    add("--max-concurrent", type=int, default=1, help="replica_max_concurrent_requests")
    add("--max-wait-ms", type=int, default=500, help="max_request_wait_time")
    add("--scoring-timeout-ms", type=int, default=60_000, help="scoring_timeout_ms")
    add(
        "--replica-start-seconds", type=float, default=60.0, help="how long AKS takes to make a replica ready"
    )
    add("--scale-down-seconds", type=int, default=60, help="how long load stays low before replicas go")
    add("--json", action="store_true", help="print settings and totals as JSON")
    add("--html", metavar="OUT.html", help="write the autoscale figure to this HTML file")
    add("--recommend", action="store_true", help="search the cheapest settings meeting --budget")
    add("--budget", type=float, default=0.001, help="accepted share of 503s (0.001 = 0.1 %%)")


def _settings(args: argparse.Namespace):
    from .._errors import UsageProblem
    from ..sizing import AksAutoscaleSettings

    u = args.target_utilization
    if not (0.0 < u <= 1.0) or math.isnan(u):
        raise UsageProblem(f"target utilization {u!r} is outside (0, 1]; write 70 % as 0.7")
    return AksAutoscaleSettings(
        autoscale_min_replicas=args.min_replicas,
        autoscale_max_replicas=args.max_replicas,
        autoscale_target_utilization=max(1, round(u * 100)),  # AKS takes whole percents
        autoscale_refresh_seconds=args.refresh_seconds,
        replica_max_concurrent_requests=args.max_concurrent,
        max_request_wait_time=args.max_wait_ms,
        scoring_timeout_ms=args.scoring_timeout_ms,
        replica_start_seconds=args.replica_start_seconds,
        scale_down_seconds=args.scale_down_seconds,
    ).validated()


def _workload(args: argparse.Namespace):
    from .._errors import UsageProblem
    from ..sizing import PROFILES, load_rps_series, make_workload, traffic_profile

    if args.profile in PROFILES:
        rates = traffic_profile(
            args.profile,
            rps=args.rps,
            peak_rps=args.peak_rps,
            seconds=args.seconds,
            spike_start=args.spike_start,
            spike_seconds=args.spike_seconds,
        )
    else:
        path = Path(args.profile)
        if not path.is_file():
            raise UsageProblem(
                f"{args.profile!r} is neither a profile (constant, ramp, spike, daily) "
                "nor a CSV file that exists"
            )
        rates = load_rps_series(path)
    return make_workload(
        rates,
        request_seconds=args.request_seconds,
        distribution=args.duration_distribution,
        noise=not args.no_noise,
        seed=args.seed,
    )


def run(args: argparse.Namespace) -> int:
    from .._errors import UsageProblem
    from ..sizing import recommend, simulate

    if not args.request_seconds > 0:
        raise UsageProblem(f"--request-seconds must be positive, got {args.request_seconds!r}")
    settings = _settings(args)
    workload = _workload(args)
    result = simulate(workload, settings)
    advice = recommend(workload, settings, budget_503=args.budget) if args.recommend else None
    if args.html:
        from ..plots import autoscale_figure

        try:
            autoscale_figure(result).write_html(args.html, include_plotlyjs=True)
        except OSError as err:
            raise UsageProblem(f"cannot write {args.html}: {err.strerror}; choose a writable path") from err
    if args.json:
        out = result.to_dict()
        if advice is not None:
            out["recommendation"] = advice.to_dict()
        print(json.dumps(out, indent=2))
        return 0
    _print_text(result, advice, args.html)
    return 0


def _print_text(result, advice, html: str | None) -> None:
    t, s = result.totals, result.settings
    print(
        f"Simulated {t.seconds} s, {t.requests} requests; replicas {s.autoscale_min_replicas}-"
        f"{s.autoscale_max_replicas}, target {s.autoscale_target_utilization} %, replica start "
        f"{s.replica_start_seconds:g} s"
    )
    print(f"  503 (no capacity within {s.max_request_wait_time} ms): {t.rejected_503} ({t.rate_503:.3%})")
    print(f"  504 (longer than {s.scoring_timeout_ms} ms): {t.timeout_504} ({t.rate_504:.3%})")
    print(
        f"  cost: {t.replica_seconds} replica-seconds, peak {t.peak_replicas} replicas, "
        f"mean utilization {t.mean_utilization:.0%}"
    )
    if t.rejected_503:
        per_minute = result.timeline["rejected_503"].groupby(result.timeline["second"] // 60).sum()
        worst = int(per_minute.idxmax())
        print(f"  worst minute: minute {worst} with {int(per_minute.max())} 503s")
    if advice is not None:
        print(f"Recommendation ({advice.simulations} simulations): {advice.note}")
        print(f"  {advice.deploy_configuration}")
    if html:
        print(f"Figure written to {html}")
