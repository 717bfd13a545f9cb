"""Small integer expressions, as block bodies and custom layers write them: `width * 4`, `(c + n * growth) // 2`.

The grammar is Python's for integers, cut down to what a shape needs:

    expression := term (("+" | "-") term)*
    term       := unary (("*" | "//") unary)*
    unary      := ("-" | "+") unary | power
    power      := atom ("**" unary)?
    atom       := INTEGER | NAME | NAME "[" expression "]" | "(" expression ")"

A NAME may be dotted (`in.channels`, `in.shape[1]`: a block use's input). A condition (a block body's
`if:`) adds Python's comparisons and words:

    condition  := conjunct ("or" conjunct)*
    conjunct   := negation ("and" negation)*
    negation   := "not" negation | expression (("==" | "!=" | "<" | "<=" | ">" | ">=") expression)?

with Python's precedence and meaning: `//` floors (-7 // 2 is -4), `**` binds tighter than a unary
minus on its left (-2 ** 2 is -4) and groups to the right (2 ** 3 ** 2 is 512). NAME[i] indexes a
shape (negative i counts from the end). The text is parsed by hand into a small tree, never given to
eval; every value stays an integer below 2**63 (larger sizes do not exist in torch or TensorFlow).

>>> evaluate(parse("(c + n * growth) // 2"), {"c": 64, "n": 6, "growth": 32})
128
>>> evaluate(parse("x[-1] * 2"), {"x": (3, 8, 8)})
16
>>> holds(parse_condition("stride != 1 or in.channels != planes"), {"stride": 1, "in.channels": 64, "planes": 64})
False
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

#: the largest magnitude an intermediate value may reach (the frameworks' int64 sizes)
LIMIT = 2**63 - 1
#: the longest expression text read (it also bounds the nesting, so parsing never runs out of stack)
MAX_LENGTH = 200

_TOKEN = re.compile(r"\s*(?:(?P<int>\d+)|(?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)"
                    r"|(?P<op>\*\*|//|==|!=|<=|>=|[-+*()\[\]<>]))")
#: the comparisons of a condition
COMPARISONS = ("==", "!=", "<", "<=", ">", ">=")


class ExpressionError(ValueError):
    """A malformed expression or one that cannot be evaluated. `position`: 0-based character offset."""

    def __init__(self, message: str, position: int):
        super().__init__(message)
        self.message = message
        self.position = position

    def __str__(self) -> str:
        return f"{self.message} (at character {self.position + 1})"


@dataclass(frozen=True, slots=True)
class Node:
    """One node of an expression tree. op: "int" (value), "name" (value = the name), "index" (value = the
    name, args = (index,)), "neg", or a binary operator "+", "-", "*", "//", "**" (args = (left, right))."""

    op: str
    value: Any = None
    args: tuple = ()
    position: int = 0


def _tokens(text: str) -> list[tuple[str, str, int]]:
    """(kind, text, position) of each token, then ("end", "", len(text))."""
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"the expression is longer than {MAX_LENGTH} characters", MAX_LENGTH)
    tokens, position = [], 0
    while position < len(text):
        if text[position:].strip() == "":
            break
        match = _TOKEN.match(text, position)
        if match is None:
            bad = len(text[position:]) - len(text[position:].lstrip()) + position
            raise ExpressionError(f"unexpected {text[bad]!r}: an expression uses integers, names, + - * // ** "
                                  "and parentheses (a condition also == != < <= > >=, and, or, not)", bad)
        kind = match.lastgroup
        tokens.append((kind, match.group(kind), match.start(kind)))
        position = match.end()
    tokens.append(("end", "", len(text)))
    return tokens


class _Parser:
    def __init__(self, text: str):
        self.tokens = _tokens(text)
        self.at = 0

    def peek(self) -> tuple[str, str, int]:
        return self.tokens[self.at]

    def take(self) -> tuple[str, str, int]:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def expect(self, op: str, opened_at: int) -> None:
        kind, text, position = self.take()
        if (kind, text) != ("op", op):
            found = "the end" if kind == "end" else repr(text)
            raise ExpressionError(f"expected {op!r} to close the one at character {opened_at + 1}, found {found}",
                                  position)

    def disjunction(self) -> Node:
        node = self.conjunction()
        while self.peek()[:2] == ("name", "or"):
            _, _, position = self.take()
            node = Node("or", args=(node, self.conjunction()), position=position)
        return node

    def conjunction(self) -> Node:
        node = self.negation()
        while self.peek()[:2] == ("name", "and"):
            _, _, position = self.take()
            node = Node("and", args=(node, self.negation()), position=position)
        return node

    def negation(self) -> Node:
        kind, text, position = self.peek()
        if (kind, text) == ("name", "not"):
            self.take()
            return Node("not", args=(self.negation(),), position=position)
        node = self.expression()
        kind, text, position = self.peek()
        if kind == "op" and text in COMPARISONS:
            self.take()
            node = Node(text, args=(node, self.expression()), position=position)
        return node

    def expression(self) -> Node:
        node = self.term()
        while self.peek()[:2] in (("op", "+"), ("op", "-")):
            _, op, position = self.take()
            node = Node(op, args=(node, self.term()), position=position)
        return node

    def term(self) -> Node:
        node = self.unary()
        while self.peek()[:2] in (("op", "*"), ("op", "//")):
            _, op, position = self.take()
            node = Node(op, args=(node, self.unary()), position=position)
        return node

    def unary(self) -> Node:
        kind, text, position = self.peek()
        if kind == "op" and text in ("-", "+"):
            self.take()
            operand = self.unary()
            return operand if text == "+" else Node("neg", args=(operand,), position=position)
        return self.power()

    def power(self) -> Node:
        node = self.atom()
        if self.peek()[:2] == ("op", "**"):
            _, _, position = self.take()
            node = Node("**", args=(node, self.unary()), position=position)
        return node

    def atom(self) -> Node:
        kind, text, position = self.take()
        if kind == "int":
            return Node("int", int(text), position=position)
        if kind == "name":
            if self.peek()[:2] == ("op", "["):
                _, _, opened = self.take()
                index = self.expression()
                self.expect("]", opened)
                return Node("index", text, (index,), position)
            return Node("name", text, position=position)
        if (kind, text) == ("op", "("):
            node = self.expression()
            self.expect(")", position)
            return node
        found = "the end of the expression" if kind == "end" else repr(text)
        raise ExpressionError(f"expected a number, a name or '(', found {found}", position)


def parse(text: str) -> Node:
    """The tree of an expression; ExpressionError (with the character) when it is malformed.

    >>> parse("a + 1")
    Node(op='+', value=None, args=(Node(op='name', value='a', args=(), position=0), Node(op='int', value=1, args=(), position=4)), position=2)
    >>> parse("2 * (a + 1")
    Traceback (most recent call last):
    ...
    layerplan.planner.expressions.ExpressionError: expected ')' to close the one at character 5, found the end (at character 11)
    """
    parser = _Parser(text)
    node = parser.expression()
    kind, token, position = parser.peek()
    if kind != "end":
        raise ExpressionError(f"unexpected {token!r} after a complete expression", position)
    return node


def parse_condition(text: str) -> Node:
    """The tree of a condition (comparisons, and, or, not over expressions); ExpressionError when malformed.

    >>> parse_condition("not a < 2").op
    'not'
    """
    parser = _Parser(text)
    node = parser.disjunction()
    kind, token, position = parser.peek()
    if kind != "end":
        raise ExpressionError(f"unexpected {token!r} after a complete condition", position)
    return node


def holds(node: Node, env: dict[str, Any]) -> bool:
    """Whether a condition is true, names taken from `env` (an expression alone holds when it is not 0).

    >>> holds(parse_condition("a == 2 and not b > 3"), {"a": 2, "b": 1})
    True
    """
    return evaluate(node, env) != 0


def names(node: Node) -> list[tuple[str, int]]:
    """(name, position) of every name the expression reads, in order.

    >>> names(parse("w * k[0] + w"))
    [('w', 0), ('k', 4), ('w', 11)]
    """
    found = [(node.value, node.position)] if node.op in ("name", "index") else []
    for arg in node.args:
        found += names(arg)
    return found


def _checked(value: int, position: int) -> int:
    if abs(value) > LIMIT:
        raise ExpressionError("the value exceeds 2**63 - 1, the frameworks' largest size", position)
    return value


def _integer(name: str, value: Any, position: int) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise ExpressionError(f"{name} is {value!r}, not an integer", position)


def evaluate(node: Node, env: dict[str, Any]) -> int:
    """The integer value of an expression, names taken from `env` (a name indexed with [i] holds a
    shape: a tuple or list of integers).

    >>> [evaluate(parse(text), {}) for text in ("-7 // 2", "7 // -2", "-2 ** 2", "2 ** 3 ** 2", "1 - 2 - 3")]
    [-4, -4, -4, 512, -4]
    >>> evaluate(parse("w // 0"), {"w": 4})
    Traceback (most recent call last):
    ...
    layerplan.planner.expressions.ExpressionError: division by zero (at character 3)
    """
    op = node.op
    if op == "int":
        return _checked(node.value, node.position)
    if op in ("name", "index"):
        if node.value not in env:
            raise ExpressionError(f"unknown name {node.value!r}", node.position)
        value = env[node.value]
        if op == "name":
            return _integer(repr(node.value), value, node.position)
        if not isinstance(value, (tuple, list)):
            raise ExpressionError(f"{node.value!r} is {value!r}, which cannot be indexed", node.position)
        index = evaluate(node.args[0], env)
        if not -len(value) <= index < len(value):
            raise ExpressionError(f"{node.value}[{index}] is out of range: {node.value} has {len(value)} axes "
                                  f"({', '.join(map(str, value))})", node.position)
        return _integer(f"{node.value}[{index}]", value[index], node.position)
    if op == "neg":
        return -evaluate(node.args[0], env)
    if op == "not":
        return int(evaluate(node.args[0], env) == 0)
    if op in ("and", "or"):  # both sides are read, so a wrong name is found whatever the first gives
        left, right = evaluate(node.args[0], env) != 0, evaluate(node.args[1], env) != 0
        return int(left and right) if op == "and" else int(left or right)
    left, right = evaluate(node.args[0], env), evaluate(node.args[1], env)
    if op in COMPARISONS:
        return int({"==": left == right, "!=": left != right, "<": left < right, "<=": left <= right,
                    ">": left > right, ">=": left >= right}[op])
    if op == "+":
        return _checked(left + right, node.position)
    if op == "-":
        return _checked(left - right, node.position)
    if op == "*":
        return _checked(left * right, node.position)
    if op == "//":
        if right == 0:
            raise ExpressionError("division by zero", node.position)
        return left // right
    # "**": bounded before computing, so 2 ** 10 ** 9 is refused without being computed
    if right < 0:
        raise ExpressionError(f"a negative exponent ({right}) gives a fraction, not an integer", node.position)
    if abs(left) > 1 and right > 64:
        raise ExpressionError("the value exceeds 2**63 - 1, the frameworks' largest size", node.position)
    return _checked(left**right, node.position)


_PRECEDENCE = {"or": -3, "and": -2, "not": -1, **dict.fromkeys(COMPARISONS, 0), "+": 1, "-": 1, "*": 2, "//": 2,
               "neg": 3, "**": 4}


def render(node: Node, env: dict[str, int] | None = None) -> str:
    """The expression as text, with the names in `env` replaced by their integer values (a partial
    evaluation: names not in env are kept).

    >>> render(parse("x[0] * (k+1)"), {"k": 3})
    'x[0] * (3 + 1)'
    """
    env = env or {}
    op = node.op
    if op == "int":
        return str(node.value)
    if op == "name":
        return str(env[node.value]) if node.value in env else node.value
    if op == "index":
        return f"{node.value}[{render(node.args[0], env)}]"

    def wrapped(child: Node, tighter: bool) -> str:
        text = render(child, env)
        child_rank = _PRECEDENCE.get(child.op, 5)
        rank = _PRECEDENCE[op]
        return f"({text})" if child_rank < rank or (tighter and child_rank == rank) else text

    if op == "neg":
        return "-" + wrapped(node.args[0], False)
    if op == "not":
        return "not " + wrapped(node.args[0], False)
    left, right = node.args
    if op == "**":  # groups to the right
        return f"{wrapped(left, True)} ** {wrapped(right, False)}"
    return f"{wrapped(left, False)} {op} {wrapped(right, True)}"
