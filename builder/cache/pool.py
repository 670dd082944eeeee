"""Worker processes for the stages that work file by file (parsing, reading the memory,
rendering).

`WorkerPool(jobs).run(task, context, items)` calls `task(context, item, remote)` for every
item and yields the results. With one job, or too few items to be worth a process, it runs
in this process (`remote` False). Otherwise `jobs` processes are started with an explicit
`initializer` that receives `task` and `context`; `remote` is True there, and a task that
returns something big returns its pickle, which the caller can keep (the build cache stores
it as it is) instead of pickling it twice.

Processes are forked: `context` (the site, the renderer) reaches the workers through the
initializer's arguments without being pickled, and the pages of the parent's heap stay
shared until a worker writes to them. Where fork does not exist the stage runs in this
process.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

Task = Callable[[Any, Any, bool], Any]

# Fewer items than this per worker are done in this process: starting workers costs more.
MIN_ITEMS_PER_WORKER = 2

# Set by _install, in a worker process only: the task and context it was started with.
_worker: tuple[Task, Any] | None = None


def _install(task: Task, context: Any) -> None:
    global _worker
    _worker = (task, context)


def _call(item: Any) -> Any:
    assert _worker is not None, "not a worker process"
    task, context = _worker
    return task(context, item, True)


def can_fork() -> bool:
    import multiprocessing  # not imported by a build that starts no worker

    return "fork" in multiprocessing.get_all_start_methods()


class WorkerPool:
    def __init__(self, jobs: int = 1):
        self.jobs = max(1, jobs)

    def run(self, task: Task, context: Any, items: Sequence[Any], *, ordered: bool = True,
            min_items: int | None = None, chunksize: int = 1, tasks_per_worker: int | None = None) -> Run:
        """Start `task` over `items` (in workers when there are at least `min_items`, by default
        MIN_ITEMS_PER_WORKER per worker); iterate the result to get each item's result, in input order when
        `ordered`, else as they come. Use it as a context manager: leaving it stops the workers."""
        enough = len(items) >= (min_items if min_items is not None else MIN_ITEMS_PER_WORKER * self.jobs)
        jobs = self.jobs if enough and self.jobs > 1 and can_fork() else 1
        return Run(task, context, items, jobs, ordered, chunksize, tasks_per_worker)

    def map(self, task: Task, context: Any, items: Sequence[Any], **options: Any) -> list[Any]:
        with self.run(task, context, items, **options) as results:
            return list(results)


class Run:
    def __init__(self, task: Task, context: Any, items: Sequence[Any], jobs: int, ordered: bool,
                 chunksize: int, tasks_per_worker: int | None):
        self.pool = None
        self.remote = jobs > 1
        if not self.remote:
            self.results: Iterator[Any] = (task(context, item, False) for item in items)
            return
        import gc
        import multiprocessing

        # Objects the parent holds move to the collector's permanent generation: a collection
        # in a worker then does not touch them, so their memory pages stay shared (the gc
        # docs' advice for forked servers)
        gc.freeze()
        self.pool = multiprocessing.get_context("fork").Pool(
            jobs, initializer=_install, initargs=(task, context), maxtasksperchild=tasks_per_worker)
        run = self.pool.imap if ordered else self.pool.imap_unordered
        self.results = run(_call, items, chunksize=max(1, chunksize))

    def __iter__(self) -> Iterator[Any]:
        return iter(self.results)

    def __enter__(self) -> Run:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
