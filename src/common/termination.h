// Termination signals (SIGINT, SIGTERM) as something a thread can wait for, shared by the
// daemons' main.cc files.
//
// A self-pipe: the handler only writes the signal number to a pipe (async-signal-safe),
// on whichever thread the kernel picks (sanitizer runtimes start their own), so no
// thread is killed and nothing runs in signal context. Everything else — stopping
// loops, joining threads — happens on the thread that waits.
#pragma once

namespace certfleet {

// Catches SIGINT and SIGTERM so WaitForTerminationSignal sees them instead of the
// process dying. Call once, early in main, before other threads start.
void InstallTerminationHandlers();

// Also catches SIGHUP (the daemons' "reload" signal): WaitForTerminationSignal then returns
// SIGHUP too, and the caller decides what to reload. Call after InstallTerminationHandlers.
void InstallHangupHandler();

// Blocks until SIGINT or SIGTERM (or, with InstallHangupHandler, SIGHUP) arrives (after InstallTerminationHandlers); returns the
// signal number.
int WaitForTerminationSignal();

// Wakes a thread blocked in WaitForTerminationSignal as if SIGTERM had arrived (for a
// process that ends for another reason and must release its waiting thread).
void RaiseTermination();

}  // namespace certfleet
