"""The layout trap: an input written in the other framework's layout.

torch reads a sample channels first, (C, H, W); keras channels last, (H, W, C). An image written the
other way still plans (128x128x3 under torch is 128 channels of 128x3) and then fails layers later with
a message about sizes, not layout. `layout_mismatch` recognises such an input, conservatively: it must
look like a few channels (1 to 4: grey, RGB, RGBA) on the wrong end of a sample whose other axes are
all clearly spatial.

- 2-D and 3-D samples (rank 3 and 4): the axis on the wrong end is at most 4 and every other axis is
  at least 8. [224, 224, 3] under torch and [1, 28, 28] under keras are caught; [3, 224, 224] under
  torch, [28, 28, 1] under keras and small ambiguous samples such as [4, 6, 3] are not.
- 1-D samples (rank 2): both readings are common for sequences (a few steps of many features, many
  steps of a few channels), so only a long signal is caught: the axis on the wrong end is at most 4 and
  the other one at least 1024 ([16000, 1] under torch, [2, 4096] under keras); [16, 8], [100, 3] and
  [1, 300] are not.
- Other ranks never warn.
"""

from __future__ import annotations

from .diagnostics import CATALOG, Diagnostic
from .shapes import shape_text

#: at most this many channels on the wrong end: grey, RGB, RGBA, a few sensor channels
FEW_CHANNELS = 4
#: every other axis of a 2-D or 3-D sample at least this long
MIN_SPATIAL = 8
#: the length axis of a 1-D sample at least this long
MIN_SIGNAL = 1024

_NAMES = {"torch": "channels-last", "keras": "channels-first"}
_OTHER = {"torch": "keras", "keras": "torch"}


def looks_misplaced(shape, framework: str) -> bool:
    """Does `shape` look written in the other framework's layout (see the module's rule)?

    >>> looks_misplaced((224, 224, 3), "torch"), looks_misplaced((3, 224, 224), "torch")
    (True, False)
    >>> looks_misplaced((1, 28, 28), "keras"), looks_misplaced((28, 28, 1), "keras")
    (True, False)
    >>> looks_misplaced((16, 8), "torch"), looks_misplaced((16000, 1), "torch")
    (False, True)
    """
    if shape is None or not 2 <= len(shape) <= 4 or framework not in _NAMES:
        return False
    # the axis the other framework would read as the channels, and the rest
    if framework == "torch":
        channels, rest = shape[-1], shape[:-1]
    else:
        channels, rest = shape[0], shape[1:]
    shortest = MIN_SIGNAL if len(shape) == 2 else MIN_SPATIAL
    return channels <= FEW_CHANNELS and min(rest) >= shortest


def flipped(shape, framework: str) -> tuple[int, ...]:
    """`shape` with its channel axis moved to where `framework` reads it.

    >>> flipped((128, 128, 3), "torch"), flipped((1, 28, 28), "keras")
    ((3, 128, 128), (28, 28, 1))
    """
    shape = tuple(shape)
    return (shape[-1], *shape[:-1]) if framework == "torch" else (*shape[1:], shape[0])


def layout_message(shape, framework: str, *, from_arguments: bool = False, name: str | None = None,
                   key: str = "input") -> str:
    """The warning for an input that `looks_misplaced`: what the framework reads, and the two fixes,
    spelled for a spec (the input written under `key`) or for the command line (`-i` and `-f`);
    `name` for one of several `inputs:`.

    >>> layout_message((128, 128, 3), "torch", from_arguments=True)
    '`-i 128x128x3` looks channels-last: torch reads 128 channels of 128x3; use -f keras or -i 3x128x128'
    >>> layout_message((1, 28, 28), "keras")
    'input 1x28x28 looks channels-first: keras reads 28 channels of 1x28; use framework: torch or input: [28, 28, 1]'
    """
    if framework == "torch":
        channels, spatial = shape[0], shape[1:]
    else:
        channels, spatial = shape[-1], shape[:-1]
    extent = f"length {spatial[0]}" if len(spatial) == 1 else "x".join(map(str, spatial))
    reads = f"{framework} reads {channels} channels of {extent}"
    other, fixed = _OTHER[framework], flipped(shape, framework)
    if from_arguments:
        return (f"`-i {shape_text(shape)}` looks {_NAMES[framework]}: {reads}; "
                f"use -f {other} or -i {shape_text(fixed)}")
    if name is not None:
        return (f"input {name!r} {shape_text(shape)} looks {_NAMES[framework]}: {reads}; "
                f"use framework: {other} or {name}: {list(fixed)}")
    return (f"input {shape_text(shape)} looks {_NAMES[framework]}: {reads}; "
            f"use framework: {other} or {key}: {list(fixed)}")


def layout_reference(framework: str) -> str:
    """What an error after a layout warning ends with, so the hint is seen where the failure is.

    >>> layout_reference("torch")
    ' (the input looks channels-last: see LP313)'
    """
    return f" (the input looks {_NAMES[framework]}: see {CATALOG['layout-mismatch'].code})"


def layout_diagnostics(inputs: dict, framework: str, pointers: dict) -> list[Diagnostic]:
    """One warning per input that `looks_misplaced`; `inputs` maps names to shapes (None: unreadable)
    and `pointers` names to where each was written. The single input of `input:` is named "input".

    >>> [d.code for d in layout_diagnostics({"input": (64, 64, 3)}, "torch", {"input": "/input"})]
    ['LP313']
    >>> layout_diagnostics({"input": (3, 64, 64)}, "torch", {"input": "/input"})
    []
    """
    single = len(inputs) == 1
    return [Diagnostic.make("layout-mismatch", layout_message(shape, framework, name=None if single else name,
                                                              key=pointers[name].rsplit("/", 1)[-1]),
                            pointer=pointers[name])
            for name, shape in inputs.items() if looks_misplaced(shape, framework)]


#: Errors about shapes (LP2xx) that only a layer's options give, whatever its input: no layout leads to them.
INPUT_FREE_ERRORS = frozenset({"same-with-stride", "stride-with-dilation", "bad-padding", "output-padding-too-large",
                               "pool-padding-too-large"})


def refer_first_error(diagnostics: list[Diagnostic], framework: str) -> list[Diagnostic]:
    """The diagnostics with the first error after a layout warning ending with `layout_reference`;
    unchanged without a layout warning. The error is a shape the framework rejects (LP2xx) or a failed
    `expect`: the errors a wrong layout leads to (a misspelt option or a padding word does not).

    >>> warning = Diagnostic.make("layout-mismatch", "input [64, 64, 3] looks channels-last: ...")
    >>> error = Diagnostic.make("kernel-too-large", "kernel 3 > padded input 1", layer=2)
    >>> refer_first_error([warning, error], "torch")[1].message
    'kernel 3 > padded input 1 (the input looks channels-last: see LP313)'
    """
    if not any(d.name == "layout-mismatch" for d in diagnostics):
        return diagnostics
    for position, diagnostic in enumerate(diagnostics):
        if diagnostic.name in INPUT_FREE_ERRORS:
            continue
        if diagnostic.is_error and (diagnostic.code.startswith("LP2") or diagnostic.name == "expect-failed"):
            changed = diagnostic.replace(message=diagnostic.message + layout_reference(framework))
            return [*diagnostics[:position], changed, *diagnostics[position + 1:]]
    return diagnostics
