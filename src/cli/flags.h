// Registration of the admin commands on the CLI11 parser. Only main.cc and the *_flags.cc
// files include CLI11 (DESIGN.md): the commands themselves (domain_commands.h, …) take
// plain option structs and a CliContext.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>

#include "cli/context.h"
#include "cli/hub_client.h"
#include "common/error.h"

namespace certfleet::cli {

// The global flags every admin command reads, and the command's wish for the exit code.
struct GlobalFlags {
  HubOptions& hub;
  std::string output = "table";  // -o
  bool yes = false;              // -y/--yes
  std::string token_file;        // --token-file (instead of --token)
  int exit_code = 0;             // set from CliContext::exit_code after the command
};

using CliCommand = std::function<Status(CliContext&)>;

// Sets `cmd`'s callback so that `run` connects to the hub and runs `command` with a
// CliContext for stdout/stderr and the terminal.
void OnCli(CLI::App* cmd, GlobalFlags& g, std::function<Status()>& run, CliCommand command);

void AddDomainCommands(CLI::App& app, GlobalFlags& g, std::function<Status()>& run);
void AddCustomerMachineCommands(CLI::App& app, GlobalFlags& g, std::function<Status()>& run);
void AddTokenCommands(CLI::App& app, GlobalFlags& g, std::function<Status()>& run);
// status, audit, events, issuer list.
void AddWatchCommands(CLI::App& app, GlobalFlags& g, std::function<Status()>& run);

// `certfleet completion bash|zsh|fish`: a completion script generated from the parser.
void AddCompletionCommand(CLI::App& app, std::function<Status()>& run);
// Words for a parse error: the unknown command or flag with a "did you mean" and the
// choices. Returns the exit code (2, or 0 for --help/--version).
int ReportParseError(CLI::App& app, const CLI::ParseError& e, int argc, char** argv);

}  // namespace certfleet::cli
