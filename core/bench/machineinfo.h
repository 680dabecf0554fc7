#pragma once

#include "results.h"

namespace sa::bench {

class ServerCatalog;

// The machine a run happened on: CPU model, cores, RAM, OS, kernel, and the
// versions of the app, Qt, and — from the build manifest, so no child process is
// started — of Go, Python and Node. "stackadvisor-load" is added by the runner
// from the generator's own start line.
MachineInfo collectMachineInfo(const ServerCatalog *catalog);

// "AMD EPYC 7B13 · 2 cores · 24 GiB · Debian GNU/Linux 12 (bookworm)"
QString machineSummary(const MachineInfo &machine);

} // namespace sa::bench
