#pragma once

// How the app writes a figure for a person: one place for grouping, decimals,
// dashes and units, so that the CLI, the GUI, the CSV's neighbours and the PDF
// print the same figure the same way. English grouping everywhere ("41,230"):
// a report is forwarded, and a figure must read the same on every machine.

#include <QString>

#include <QtGlobal>

namespace sa::fmt {

// What stands where a figure is missing (a cell that has none).
QString none(); // "—"

// 41230.4 → "41,230"; with decimals, "41,230.4".
QString number(double value, int decimals = 0);
// Microseconds as milliseconds: two decimals below 10 ms, one from there ("0.97", "12.3").
QString milliseconds(double microseconds);
// Bytes as MiB with one decimal ("25.1"); none() for 0 (unknown).
QString mebibytes(qint64 bytes);
// A share 0..1 as a percentage with the given decimals, no sign ("1.16").
QString percent(double share, int decimals = 2);
// A ratio as "8.4×" (two decimals below 10, one from there).
QString times(double ratio);
// Seconds as "10 s", "2.5 s".
QString seconds(double value);

// Units, as the table headers and sentences name them.
QString unitRequestsPerSecond(); // "req/s"
QString unitMilliseconds(); // "ms"
QString unitMebibytes(); // "MiB"
QString unitPercent(); // "%"

} // namespace sa::fmt
