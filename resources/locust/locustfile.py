"""A Stack Advisor benchmark plan, run by Locust.

Written beside stackadvisor-locust.json by `stackadvisor bench --export-locust DIR`;
the README there has the commands. One Locust run measures one cell of the plan
(a target, a scenario, a number of users), chosen with --sa-cell; the same
locustfile serves a single process, a master and its workers.

What it does beyond a plain locustfile, so that the run reads like one of the
app's own:
- before the load, the master (or the single process) checks every path of the
  cell once against the answer servers/CONTRACT.md specifies, and refuses to run
  against a server that answers something else (TechEmpower verifies the same way);
- during the load, a response is a failure unless its status is 200 and its body
  has the expected length;
- the statistics are reset when the warm-up ends, on the master and on every
  worker, so the figures cover the measured window only;
- the run ends when the plan's window does (the master then waits for the
  workers' last reports); --run-time is only a bound;
- the master writes stackadvisor-run-info.json beside Locust's own results: the
  workers, the users, the times of the window, the Locust version.
"""

import json
import os
import platform
import re
import time
import types
import urllib.error
import urllib.request

import gevent
import locust
import psutil
from locust import FastHttpUser, constant_throughput, events, task
from locust.runners import WORKER_REPORT_INTERVAL, MasterRunner, WorkerRunner

HERE = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(HERE, "stackadvisor-locust.json"), encoding="utf-8") as plan_file:
    PLAN = json.load(plan_file)
CELLS = {cell["id"]: cell for cell in PLAN["cells"]}


@events.init_command_line_parser.add_listener
def _add_arguments(parser):
    parser.add_argument(
        "--sa-cell",
        type=str,
        default="",
        include_in_web_ui=False,
        help="The plan's cell to run: one of " + ", ".join(CELLS),
    )


def _cell(environment):
    cell_id = environment.parsed_options.sa_cell
    if cell_id not in CELLS:
        raise SystemExit(
            f"stackadvisor locustfile: --sa-cell '{cell_id}' is not a cell of this plan; "
            f"the cells are: {', '.join(CELLS)}"
        )
    return CELLS[cell_id]


def _results_dir(cell):
    return os.path.join(HERE, "results", cell["id"])


def _check_answer(status, content_type, body, expected):
    """What is wrong with an answer, or '' when it is the one the contract specifies."""
    if status != 200:
        return f"status {status}, expected 200"
    if not content_type.startswith(expected["contentType"]):
        return f"Content-Type '{content_type}', expected {expected['contentType']}"
    if "bodyPattern" in expected:
        if not re.fullmatch(expected["bodyPattern"], body.decode("utf-8", "replace")):
            return f"body {body[:120]!r}, expected one matching {expected['bodyPattern']!r}"
    elif body != expected["body"].encode("utf-8"):
        return f"body {body[:120]!r}, expected {expected['body']!r}"
    return ""


def _verify(host, cell):
    url = host.rstrip("/") + cell["path"]
    try:
        with urllib.request.urlopen(url, timeout=PLAN["timeoutSeconds"]) as response:
            problem = _check_answer(
                response.status, response.headers.get("Content-Type", ""), response.read(), cell["expected"]
            )
    except urllib.error.HTTPError as error:
        problem = f"status {error.code}, expected 200"
    except OSError as error:
        problem = f"no answer ({error})"
    return f"GET {url}: {problem}" if problem else ""


_run_info = {}


def _machine():
    """The master's host, for the run's record (its workers may be elsewhere)."""
    model = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            model = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), "")
    except OSError:
        pass
    return {
        "cpuModel": model,
        "logicalCores": os.cpu_count() or 0,
        "memoryBytes": psutil.virtual_memory().total,
        "os": platform.platform(),
        "python": platform.python_version(),
    }


@events.test_start.add_listener
def _on_test_start(environment, **_kwargs):
    cell = _cell(environment)
    runner = environment.runner
    if not isinstance(runner, WorkerRunner):
        problem = _verify(environment.host or "", cell)
        if problem:
            print(f"stackadvisor locustfile: the expected-results check failed, nothing measured: {problem}")
            environment.process_exit_code = 3
            gevent.spawn_later(0, runner.quit)
            return
        _run_info.update(
            cell=cell["id"],
            host=environment.host,
            locustVersion=locust.__version__,
            startedAt=time.time(),
            verified=True,
            machine=_machine(),
        )

    # A worker may hear the end of a short warm-up before its own start.
    _state["warmupOver"] = PLAN["warmupSeconds"] <= 0 or _state["warmupHeard"]
    if not isinstance(runner, WorkerRunner):
        gevent.spawn_later(PLAN["warmupSeconds"], _end_of_warmup, runner)
        gevent.spawn_later(PLAN["warmupSeconds"] + PLAN["durationSeconds"], _end_of_window, runner)


def _end_of_warmup(runner):
    """The master's clock decides: the workers hear it when it happens (a worker's
    own timer would start when the spawn message reached it, a moment later)."""
    runner.stats.reset_all()
    _state["warmupOver"] = True
    _run_info["windowStartedAt"] = time.time()
    if isinstance(runner, MasterRunner):
        runner.send_message("sa_warmup_over")


def _on_warmup_over(environment, **_kwargs):
    environment.runner.stats.reset_all()
    _state["warmupOver"] = True
    _state["warmupHeard"] = True


def _end_of_window(runner):
    """Stops the users when the window ends, then waits for the workers' last reports.

    Locust's own --run-time quits at once, and a worker's figures since its last
    report (up to 3 s) never reach the master; stopping first lets the next
    report bring them.
    """
    _run_info["windowEndedAt"] = time.time()
    runner.stop()
    if isinstance(runner, MasterRunner):
        gevent.sleep(WORKER_REPORT_INTERVAL + 1.0)
    runner.quit()


# A worker reports to the master every 3 s; a report that left before the
# worker's warm-up ended but reached the master after the master's did would
# bring up to 3 s of warm-up into the window. So a worker never sends warm-up
# figures: until its own warm-up is over, each report is emptied first.
_state = {"warmupOver": True, "warmupHeard": False, "stats": None}


@events.init.add_listener
def _on_init(environment, **_kwargs):
    _state["stats"] = environment.stats
    if not isinstance(environment.runner, WorkerRunner):
        _cell(environment)  # a master or a single process refuses an unknown cell at once
    if isinstance(environment.runner, WorkerRunner):
        environment.runner.register_message("sa_warmup_over", _on_warmup_over)


@events.report_to_master.add_listener
def _on_report_to_master(client_id, data):
    stats = _state["stats"]
    if _state["warmupOver"] or stats is None:
        return
    stats.reset_all()
    if "stats" in data:  # when Locust's own listener ran before this one
        data["stats"] = stats.serialize_stats()
        data["stats_total"] = stats.total.get_stripped_report()
        data["errors"] = {}


@events.test_stop.add_listener
def _on_test_stop(environment, **_kwargs):
    runner = environment.runner
    if isinstance(runner, WorkerRunner) or not _run_info.get("verified"):
        return
    _run_info.update(
        stoppedAt=time.time(),
        users=runner.target_user_count or _cell(environment)["connections"],
        workers=len(runner.clients) if isinstance(runner, MasterRunner) else 0,
        processes=len(runner.clients) if isinstance(runner, MasterRunner) else 1,
        warmupSeconds=PLAN["warmupSeconds"],
        durationSeconds=PLAN["durationSeconds"],
        openLoopRate=PLAN["openLoopRate"],
        timeoutSeconds=PLAN["timeoutSeconds"],
        runTime=environment.parsed_options.run_time,
    )
    os.makedirs(_results_dir(_cell(environment)), exist_ok=True)
    path = os.path.join(_results_dir(_cell(environment)), "stackadvisor-run-info.json")
    with open(path + ".part", "w", encoding="utf-8") as info:
        json.dump(_run_info, info, indent=2)
    os.replace(path + ".part", path)


class PlanUser(FastHttpUser):
    """One user of the cell: a closed loop, or paced to its share of the open-loop rate."""

    # FastHttpUser's default is a pool of 10 connections per user; one connection
    # per user is what the app's load generator means by "connections".
    concurrency = 1
    network_timeout = PLAN["timeoutSeconds"]
    connection_timeout = PLAN["timeoutSeconds"]

    def on_start(self):
        cell = _cell(self.environment)
        self.path = cell["path"]
        # Exact bodies are checked by their length; the database scenarios' rows
        # differ from answer to answer, so those by their status only.
        body = cell["expected"].get("body")
        self.expected_length = len(body.encode("utf-8")) if body is not None else None
        if PLAN["openLoopRate"] > 0:
            # The plan's users in all (a worker runs only its share of them).
            self.wait_time = types.MethodType(constant_throughput(PLAN["openLoopRate"] / cell["connections"]), self)

    def wait_time(self):
        return 0

    @task
    def request(self):
        with self.client.get(self.path, name=self.path, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
            elif self.expected_length is not None and len(response.content or b"") != self.expected_length:
                response.failure(f"body of {len(response.content or b'')} bytes, expected {self.expected_length}")
            else:
                response.success()
