#pragma once

#include <QString>

// Where the app finds its data and its helper programs, both when it runs from
// the build tree and when it is installed (bin/ + share/stackadvisor/).
namespace sa::Paths {

// The version of the app, as set in the top-level CMakeLists.txt.
QString appVersion();

// The folder holding advisor/*.json, servers.json and claims/*.json.
// Resolution order: $STACKADVISOR_RESOURCES_DIR, <prefix>/share/stackadvisor/resources
// next to an installed binary, then the source tree's resources/.
QString resourcesDir();

// resourcesDir() + "/" + relativePath.
QString resourceFile(const QString &relativePath);

// The sample servers' sources (servers/ in the source tree, or the installed copy).
QString serversSourceDir();

// Where servers/build.sh put the built servers (Go binaries, venvs, node_modules)
// and its manifest.json. $STACKADVISOR_SERVERS_DIR overrides.
QString serversBuildDir();

// Where `stackadvisor servers setup` prepares the Python and Node servers (venvs,
// node_modules) and writes their manifest.json: <AppLocalDataLocation>/servers,
// e.g. ~/.local/share/StackAdvisor/stackadvisor/servers. An installed app cannot
// build them under /usr, and a venv cannot be shipped (it is tied to the machine's
// Python). The server catalog looks here for each server serversBuildDir() does
// not have ready. Needs the application and organisation names set.
QString userServersDir();

// The folder of the running executable; works without a QCoreApplication.
QString executableDir();

// The stackadvisor-load executable next to the running one.
QString loadGeneratorPath();

} // namespace sa::Paths
