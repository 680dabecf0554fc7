#include "machineinfo.h"

#include "servercatalog.h"

#include "platform/paths.h"
#include "platform/procfs.h"

#include <QtGlobal>

#include <thread>

namespace sa::bench {

MachineInfo collectMachineInfo(const ServerCatalog *catalog)
{
    MachineInfo machine;
    machine.cpuModel = platform::cpuModel();
    machine.logicalCores = int(std::thread::hardware_concurrency());
    machine.memoryBytes = platform::totalMemoryBytes();
    machine.os = platform::osPrettyName();
    machine.kernel = platform::kernelRelease();
    machine.versions.insert(QStringLiteral("stackadvisor"), Paths::appVersion());
    machine.versions.insert(QStringLiteral("qt"), QString::fromLatin1(qVersion()));
    if (catalog) {
        for (const ServerEntry &entry : catalog->servers()) {
            if (!entry.runtimeVersion.isEmpty() && !entry.userDefined)
                machine.versions.insert(entry.runtime, entry.runtimeVersion);
            if (!entry.frameworkVersion.isEmpty())
                machine.versions.insert(
                    entry.id, entry.framework + QLatin1Char(' ') + entry.frameworkVersion);
        }
    }
    return machine;
}

QString machineSummary(const MachineInfo &machine)
{
    if (machine.logicalCores == 0 && machine.cpuModel.isEmpty() && machine.os.isEmpty())
        return QStringLiteral("not recorded");
    QStringList parts;
    if (!machine.cpuModel.isEmpty())
        parts << machine.cpuModel;
    parts << QStringLiteral("%1 cores").arg(machine.logicalCores);
    if (machine.memoryBytes > 0)
        parts << QStringLiteral("%1 GiB").arg(double(machine.memoryBytes) / double(1LL << 30), 0, 'f', 0);
    if (!machine.os.isEmpty())
        parts << machine.os;
    return parts.join(QStringLiteral(" · "));
}

} // namespace sa::bench
