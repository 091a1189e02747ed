"""Course machinery: what runs the assignments around the student's code.

None of it is taught; students call at most :func:`cs231n.plug_in`,
:func:`cs231n.unplug`, :func:`cs231n.self_check` and ``import_notebook``.

* :mod:`cs231n.course.tasks` -- the task registry (every cell a student writes);
* :mod:`cs231n.course.plugin` -- put a student's function into the package, reversibly;
* :mod:`cs231n.course.self_check` -- run a notebook's visible checks and show a table;
* :mod:`cs231n.course.notebook_import` -- use code taught in a sibling notebook;
* :mod:`cs231n.course.testing` -- the comparison and tolerance policy;
* :mod:`cs231n.course.layer_checks` -- the reusable conformance suite for layers.

The familiar CS231n modules (``cs231n.layers``, ``cs231n.classifiers``, ``cs231n.optim``,
``cs231n.solver``, ...) stay at the top of the package, and :mod:`cs231n.validation`
holds the input checks that any code, a student's included, may call.
"""
