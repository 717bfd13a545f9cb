"""Specs with problems that change how the layer table looks (errors, warnings, wide names), for the
table tests (tests/cli/test_table_output.py)."""

PROBLEM_SPECS = {
    "shape-error": "input: [1, 4, 4]\nlayers:\n  - conv2d: {filters: 32, kernel_size: 5}\n  - relu\n"
                   "  - linear: {units: 3}\n",
    "warning": "input: [1, 28, 28]\nlayers:\n  - conv2d: {filters: 4, kernel_size: 3, stride: 2}\n",
    "duplicate-name": "input: [1, 8, 8]\nlayers:\n  - relu: {name: a}\n  - relu: {name: a}\n",
    "expect-fails": "input: [1, 8, 8]\nlayers:\n  - conv2d: {filters: 2, kernel_size: 3, expect: [2, 8, 8]}\n",
    "no-layers": "input: [1, 8, 8]\nlayers: []\n",
    "wide-names": "name: 模型\ninput: [3, 32, 32]\nlayers:\n  - conv2d: {filters: 8, kernel_size: 3, name: 卷积层一}\n"
                  "  - relu: {name: \"e\\u0301t\\u00e9\"}\n  - max_pool2d: {pool_size: 2, name: \"🙂 pool\"}\n",
}
