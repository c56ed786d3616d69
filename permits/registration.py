"""What the permits app tells the core (issue 18, ``inatrade.registry``): its periodic jobs and
its demo data. The permit kinds themselves are registered by the apps that issue them."""

from __future__ import annotations

from inatrade import registry


def _demo(out):
    from permits import demo

    return demo.seed(out)


def register() -> None:
    registry.job(
        name="insw_outbox_deliver", service="permits.services.insw_outbox_deliver",
        help="Deliver pending permit events to INSW with retries (DOC-05).", schedule={"minute": "*"},
    )
    registry.job(
        name="permit_signing_sweep", service="permits.services.permit_signing_sweep",
        help="Sign permits still awaiting signature (lost tasks, retries after a failure) (DOC-02, REL-06).",
        schedule={"minute": "*"},
    )
    registry.demo(name="permits", seed=_demo, order=20)
