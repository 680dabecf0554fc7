#pragma once

// The ranges a benchmark plan may take, in one place: the runner refuses a plan
// outside them before anything starts, and the CLI and the GUI take their input
// limits from here. Every bound is finite: a NaN or an infinity is never a setting.

#include "results.h"

#include <QString>

namespace sa::bench::limits {

constexpr int kMaxConnections = 100000; // stackadvisor-load's own limit
constexpr double kMaxDurationSeconds = 3600;
constexpr double kMaxWarmupSeconds = 3600;
constexpr double kMinIntervalSeconds = 0.1;
constexpr double kMaxIntervalSeconds = 60;
constexpr double kMinTimeoutSeconds = 0.001;
constexpr double kMaxTimeoutSeconds = 3600;
constexpr double kMaxOpenLoopRate = 10'000'000; // requests/s
constexpr int kMaxIoMilliseconds = 10000;
constexpr int kMaxCpuN = 10'000'000;
// Server processes / GOMAXPROCS and load-generator threads: far above any core
// count this app is meant for, far below a fork bomb.
constexpr int kMaxWorkers = 256;
constexpr int kMaxLoadThreads = 256;
constexpr double kMaxReadinessTimeoutSeconds = 3600;

} // namespace sa::bench::limits

namespace sa::bench {

// The first value of the plan outside its range, for a person ("workers must be
// between 1 and 256 server processes, or 0 for one per server core (got 100000)");
// "" when the plan can run. Target ids are the catalog's to check.
QString planProblem(const BenchmarkPlan &plan);
// The same for how long a server may take to answer its readiness path.
QString readinessTimeoutProblem(double seconds);

} // namespace sa::bench
