#pragma once

#include <QByteArray>
#include <QString>

// Writing a file whole or not at all. Every export (bench --json/--csv, the GUI's
// export, advise --save, the report's HTML) goes through this one function, so
// that a full disk, a read-only folder or a failing device is always an error
// with the reason, never a short or empty file reported as written.
namespace sa::platform {

// Writes content to a new file beside path, then checks every step: each write
// (short writes retried), fsync, close, the rename over path, and the fsync of the
// folder that makes the rename durable. On any failure the temporary file is
// removed, path is left as it was (absent, or its old content), and *error says
// which step failed and why, e.g. "cannot write /mnt/run.json: No space left on
// device (the disk is full: free some space or choose another folder); the file
// was not changed". A symbolic link at path is followed: its target is replaced.
// The new file has the old file's permissions, or 0666 minus the umask.
bool writeFileAtomically(const QString &path, const QByteArray &content, QString *error);

} // namespace sa::platform
