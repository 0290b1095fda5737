"""An FFmpeg filter graph as objects (inputs, filters, links), serialised in one place.

Modelled on PyAV's av.filter.Graph: code adds nodes and links; only `serialise()` knows the
`-filter_complex` syntax, including how option values are escaped.
"""

from __future__ import annotations

from dataclasses import dataclass, field


def _escape(value: str) -> str:
    """Escape an option value for `-filter_complex`, where FFmpeg unescapes it twice: once as
    part of the graph (`[],;` and quotes) and once as an option (`:`, `\\` and `'`).

    Level 1 backslash-escapes the option's specials; level 2 quotes the result when needed
    (a quote inside is written `'\\''`). So a file path with quotes, colons or brackets
    survives, and a plain expression with commas reads `'clip(t,0,1)'` as before.
    """
    level1 = "".join("\\" + ch if ch in "\\':" else ch for ch in value)
    if any(ch in level1 for ch in "\\',;[]= \t\n"):
        return "'" + level1.replace("'", "'\\''") + "'"
    return level1


def _fmt(value: object) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        text = f"{value:.6f}".rstrip("0").rstrip(".")
        return text if text not in ("", "-0") else "0"
    return str(value)


@dataclass(frozen=True)
class Filter:
    """One filter: a name and its options, in order."""

    name: str
    options: tuple[tuple[str, object], ...] = ()

    @classmethod
    def of(cls, name: str, **options: object) -> Filter:
        return cls(name, tuple((k.rstrip("_"), v) for k, v in options.items() if v is not None))

    def serialise(self) -> str:
        if not self.options:
            return self.name
        return self.name + "=" + ":".join(f"{k}={_escape(_fmt(v))}" for k, v in self.options)


@dataclass(frozen=True)
class Input:
    """An input file with the options that go before its `-i`."""

    path: str
    options: tuple[str, ...] = ()

    def argv(self) -> list[str]:
        return [*self.options, "-i", self.path]


@dataclass
class FilterGraph:
    """Inputs plus chains of filters joined by labelled links."""

    inputs: list[Input] = field(default_factory=list)
    chains: list[tuple[tuple[str, ...], tuple[Filter, ...], tuple[str, ...]]] = field(
        default_factory=list
    )
    _counter: int = 0

    def add_input(self, path: str, *options: str, stream: str = "v") -> str:
        """Add an input file; returns the link label of its `stream` (`v`: the first video or
        only stream, `a:0`: the first audio stream, ...)."""
        self.inputs.append(Input(path, tuple(options)))
        return f"{len(self.inputs) - 1}:{stream}"

    def chain(self, sources: str | list[str], *filters: Filter, label: str | None = None) -> str:
        """Run `sources` through `filters` in order; returns the label of the result."""
        srcs = (sources,) if isinstance(sources, str) else tuple(sources)
        if not filters:
            filters = (Filter("null"),)
        label = label or self._label()
        self.chains.append((srcs, tuple(filters), (label,)))
        return label

    def split(self, source: str, outputs: int) -> list[str]:
        """`outputs` links carrying the same frames as `source` (a `split` filter)."""
        if outputs == 1:
            return [source]
        labels = tuple(self._label() for _ in range(outputs))
        self.chains.append(((source,), (Filter.of("split", outputs=outputs),), labels))
        return list(labels)

    def _label(self) -> str:
        label = f"v{self._counter}"
        self._counter += 1
        return label

    def serialise(self) -> str:
        """The `-filter_complex` text."""
        parts = []
        for srcs, filters, labels in self.chains:
            ins = "".join(f"[{s}]" for s in srcs)
            body = ",".join(f.serialise() for f in filters)
            outs = "".join(f"[{label}]" for label in labels)
            parts.append(f"{ins}{body}{outs}")
        return ";\n".join(parts)

    def input_argv(self) -> list[str]:
        """The `-i` arguments of the inputs, in order, each with its options."""
        argv: list[str] = []
        for item in self.inputs:
            argv += item.argv()
        return argv
