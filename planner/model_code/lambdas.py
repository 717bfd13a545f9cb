"""`lambda` expressions: a function of the files like a `def` (`depth = lambda d: max(int(d * m), 16)`), read
when it is called, its body a `return` of the expression.

>>> import ast
>>> made = lambda_function(ast.parse("lambda d, m=2: d * m", mode="eval").body, None)
>>> made.node.name, [a.arg for a in made.node.args.args], type(made.node.body[0]).__name__
('<lambda>', ['d', 'm'], 'Return')
"""

from __future__ import annotations

import ast
from typing import Any

from .values import Function

def lambda_function(node: ast.Lambda, scope: Any) -> Function:
    """The Function a lambda expression makes: its parameters, and a body that returns its expression; in the
    scope where it is written (its closure), None at module level. The definition is made once per expression
    (the reader keys what it learns of a body by its node)."""
    definition = getattr(node, "_layerplan_definition", None)
    if definition is None:
        definition = ast.FunctionDef(name="<lambda>", args=node.args, body=[ast.Return(value=node.body)],
                                     decorator_list=[], returns=None)
        if "type_params" in ast.FunctionDef._fields:  # Python 3.12 and later
            definition.type_params = []
        ast.copy_location(definition, node)
        ast.copy_location(definition.body[0], node)
        module = getattr(node, "_layerplan_module", None)
        if module is not None:  # the file it is written in (imported_files.home)
            definition._layerplan_module = module
            definition.body[0]._layerplan_module = module
        node._layerplan_definition = definition
    return Function(definition, scope=scope)
