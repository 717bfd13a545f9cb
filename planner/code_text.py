r"""Text from a spec, a model file or a path, written into generated code: the only way it gets there.

A name is data. Written into Python code it must stay data whatever its characters: a quote, a
triple quote, a backslash, a line break (`\n`, `\r`, U+2028, U+0085...), a NUL, a look-alike letter
that Python's NFKC normalisation turns into another name. Each place in the code a name can go has
one function here, and the writers (planner/export.py, planner/kinds/writing.py) use nothing else:

    python_identifier  a variable or attribute: ASCII letters, digits and `_`, never a keyword or a
                       name the generated code uses (Identifiers in planner/export.py keeps distinct
                       names distinct)
    python_class_name  a class, in CamelCase
    python_string      a string literal, as black writes it
    keras_name         a keras layer's or model's `name=`: keras refuses a `/` in one
    comment_text       the rest of a `#` comment line
    docstring_text     text inside a docstring
    visible            text shown to a reader (a comment, a picture): every character that is not
                       printable written as its Python escape, so the text stays on one line

>>> print(python_identifier("layer1.0.conv"), python_string('say "hi"\n'), comment_text("a\nimport os"))
layer1_0_conv 'say "hi"\n' a\nimport os
"""

from __future__ import annotations

import keyword
import re
import unicodedata

__all__ = ["GENERATED_NAMES", "TORCH_MODULE_NAMES", "comment_text", "docstring_text", "keras_name",
           "python_class_name", "python_identifier", "python_string", "visible"]

#: the names exported code itself uses: its imports, module names, the variables the writers make,
#: and the builtins it calls; a name from a spec is never one of these
GENERATED_NAMES = frozenset({
    "torch", "nn", "F", "keras", "layers", "ops", "np", "INPUT_SHAPE", "build_model", "model", "self", "super",
    "x", "y", "inputs", "input", "p", "t", "name", "shape", "_", "print", "sum", "tuple", "list", "dict", "len",
    "int", "float", "str", "range", "zip", "None", "True", "False", "NotImplemented", "Ellipsis",
})

#: every attribute of a torch nn.Module (class and instance, torch 2.13.0) but the dunder names: a
#: submodule named after one of them would hide or replace it (a layer called `parameters` or
#: `training`). tests/export/test_code_text.py compares it with the installed torch.
TORCH_MODULE_NAMES = frozenset({
    "T_destination", "_apply", "_backward_hooks", "_backward_pre_hooks", "_buffers", "_call_impl",
    "_compiled_call_impl", "_forward_hooks", "_forward_hooks_always_called", "_forward_hooks_with_kwargs",
    "_forward_pre_hooks", "_forward_pre_hooks_with_kwargs", "_get_backward_hooks", "_get_backward_pre_hooks",
    "_get_name", "_is_full_backward_hook", "_load_from_state_dict", "_load_state_dict_post_hooks",
    "_load_state_dict_pre_hooks", "_maybe_warn_non_full_backward_hook", "_modules", "_named_members",
    "_non_persistent_buffers_set", "_parameters", "_register_load_state_dict_pre_hook",
    "_register_state_dict_hook", "_replicate_for_data_parallel", "_save_to_state_dict", "_slow_forward",
    "_state_dict_hooks", "_state_dict_pre_hooks", "_version", "_wrapped_call_impl", "add_module", "apply",
    "bfloat16", "buffers", "call_super_init", "children", "compile", "cpu", "cuda", "double", "dump_patches",
    "eval", "extra_repr", "float", "forward", "get_buffer", "get_extra_state", "get_parameter", "get_submodule",
    "half", "ipu", "load_state_dict", "modules", "mtia", "named_buffers", "named_children", "named_modules",
    "named_parameters", "parameters", "register_backward_hook", "register_buffer", "register_forward_hook",
    "register_forward_pre_hook", "register_full_backward_hook", "register_full_backward_pre_hook",
    "register_load_state_dict_post_hook", "register_load_state_dict_pre_hook", "register_module",
    "register_parameter", "register_state_dict_post_hook", "register_state_dict_pre_hook", "requires_grad_",
    "set_extra_state", "set_submodule", "share_memory", "state_dict", "to", "to_empty", "train", "training",
    "type", "xpu", "zero_grad",
})

_TAKEN = GENERATED_NAMES | TORCH_MODULE_NAMES | set(keyword.kwlist) | set(keyword.softkwlist)


_SHORT_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(character: str) -> str:
    if character in _SHORT_ESCAPES:
        return _SHORT_ESCAPES[character]
    code = ord(character)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def visible(text: str) -> str:
    r"""The text with every character that is not printable (controls, line and paragraph separators,
    NUL, format characters such as the bidirectional overrides, lone surrogates) written as its Python
    escape, `\x01`, `\u2028`: one line, every character shown, and fit for XML 1.0. Backslashes stay.

    >>> print(visible("a\nb\x00c\u2028d é \\"))
    a\nb\x00c\u2028d é \
    """
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else _escape(ch) for ch in text)


def _string_body(text: str, quote: str) -> str:
    text = text.replace("\\", "\\\\").replace(quote, "\\" + quote)
    return visible(text)


def python_string(text: str) -> str:
    r"""A Python string literal that reads back as `text`, quoted as black quotes it: double quotes,
    single ones when that escapes fewer quotes; every character that is not printable escaped.

    >>> print(python_string("same"), python_string('a "b"'), python_string("it's \\ \"ok\"!'"), python_string("\r\x85"))
    "same" 'a "b"' "it's \\ \"ok\"!'" "\r\x85"
    """
    quote = "'" if text.count('"') > text.count("'") else '"'
    return quote + _string_body(text, quote) + quote


def keras_name(name: str) -> str:
    """A name keras takes for a layer or a model (`name=`): keras raises on a `/` (its name scopes'
    separator), written `_`; the result goes into code through python_string like any text.

    >>> keras_name("U-Net 256 (zhixuhao/unet)"), keras_name("enc1")
    ('U-Net 256 (zhixuhao_unet)', 'enc1')
    """
    return name.replace("/", "_")


def comment_text(text: str) -> str:
    r"""Text for the rest of a `#` comment line: on one line whatever it holds.

    >>> print(comment_text("stage 1\r\n    import os"))
    stage 1\r\n    import os
    """
    return visible(text)


def docstring_text(text: str) -> str:
    r'''Text inside a triple-quoted docstring: no quote, backslash or line break can end or break
    it (the docstring reads back as `text`).

    >>> print(docstring_text('x\"\"\"; import os; \"\"\"'), docstring_text(r"net\N"))
    x\"\"\"; import os; \"\"\" net\\N
    '''
    return _string_body(text, '"')


def _ascii(name: str) -> str:
    """The name in ASCII letters, digits and underscores: compatibility forms decomposed first (as
    Python's NFKC would read them: `𝐱` is x, `½` is 1/2), accents dropped, anything else `_`."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[^0-9A-Za-z_]", "_", plain)


def python_identifier(name: str) -> str:
    """A name as a Python identifier: ASCII (so that two different identifiers are never one name
    to Python), not starting with a digit or `__`, and never a keyword, a soft keyword, a name the
    generated code uses (GENERATED_NAMES) or an nn.Module attribute (TORCH_MODULE_NAMES): those get
    a trailing `_`. Different names may give the same identifier: Identifiers tells them apart.

    >>> [python_identifier(n) for n in ["layer1.0.conv1", "x", "1st", "class", "𝐱", "ｓｅｌｆ", "½", "__init__"]]
    ['layer1_0_conv1', 'x_', '_1st', 'class_', 'x_', 'self_', '_1_2', '_init__']
    >>> [python_identifier(n) for n in ["", "层", "parameters", "match", "None", "none"]]
    ['unnamed', 'unnamed_', 'parameters_', 'match_', 'None_', 'none']
    """
    text = _ascii(name)
    if not re.search(r"[0-9A-Za-z]", text):
        text = "unnamed" + text
    if text[0].isdigit():
        text = "_" + text
    text = re.sub(r"^__+", "_", text)  # no dunder names, and no private names Python would mangle
    return text + "_" if text in _TAKEN else text


def python_class_name(name: str) -> str:
    """A name as a Python class name in CamelCase (its ASCII letters and digits), or "" for none.

    >>> python_class_name("mnist-conv-autoencoder"), python_class_name("3d unet"), python_class_name("none")
    ('MnistConvAutoencoder', 'Net3dUnet', 'None_')
    """
    words = [w for w in re.split(r"[^0-9A-Za-z]+", _ascii(name)) if w]
    text = "".join(w[:1].upper() + w[1:] for w in words)
    if text[:1].isdigit():
        text = "Net" + text
    return text + "_" if keyword.iskeyword(text) or text in _TAKEN else text
