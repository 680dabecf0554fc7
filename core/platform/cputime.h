#pragma once

// The CPU time a process tree has run, from the scheduler's own accounting
// (/proc/<pid>/task/<tid>/schedstat, nanoseconds) rather than /proc/<pid>/stat's
// clock ticks: a 10 ms tick is a quarter of what a Go server spends on 500
// requests, so CPU per request over a few seconds needs the finer clock.

#include <QByteArray>

#include <optional>

namespace sa::platform {

// Every thread of rootPid and of its descendants, summed. Threads that ended are
// not counted (their time goes with them); nullopt when the root is gone or
// schedstat cannot be read.
std::optional<qint64> treeCpuNanoseconds(int rootPid);

// The first field of a schedstat line: nanoseconds run on a CPU. Exposed for tests.
std::optional<qint64> parseSchedstat(const QByteArray &content);

} // namespace sa::platform
