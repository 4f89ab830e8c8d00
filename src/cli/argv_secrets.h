// Hiding a token given on the command line from other users (F18).
//
// `ps` and /proc/PID/cmdline show every process's arguments to every user, so a
// `--token SECRET` is readable by anyone on the machine for as long as the command runs
// (`certfleet events --follow` runs for days). After parsing, the CLI overwrites the value
// in its own argv memory, which is what /proc shows, as the mysql client does with -p.
// It narrows the window to the first milliseconds; it does not close it: CERTFLEET_TOKEN
// or --token-file stay the recommended ways (docs/cli.md).
#pragma once

namespace certfleet::cli {

// Overwrites with 'x' the value of every "--token VALUE" and "--token=VALUE" in argv.
void HideTokenArguments(int argc, char** argv);

}  // namespace certfleet::cli
