"""Run axe-core (vendored) in a page and fail on serious or critical violations."""

from pathlib import Path

AXE_JS = Path(__file__).parent / "vendor" / "axe.min.js"
BLOCKING = {"serious", "critical"}


def assert_no_serious_violations(page, *, context: str = "") -> None:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    results = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations']})"
    )
    blocking = [v for v in results["violations"] if v["impact"] in BLOCKING]
    if blocking:
        lines = [
            f"axe found {len(blocking)} serious/critical violation(s) on "
            f"{context or page.url}:"
        ]
        for v in blocking:
            targets = ", ".join(str(n["target"]) for n in v["nodes"][:5])
            lines.append(f"- [{v['impact']}] {v['id']}: {v['help']} -> {targets}")
        raise AssertionError("\n".join(lines))
