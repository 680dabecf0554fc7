#pragma once

// Entry point of the desktop app, called by app/stackadvisor/main.cpp.
namespace sa::ui {

int runGui(int &argc, char **argv);

} // namespace sa::ui
