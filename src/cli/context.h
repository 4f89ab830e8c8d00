// CliContext: what every admin command shares — the hub client, the output format, the
// terminal, and the streams (tests pass string streams).
#pragma once

#include <functional>
#include <iosfwd>
#include <string>

#include "cli/hub_client.h"
#include "cli/output.h"

namespace certfleet::cli {

struct CliContext {
  HubClient& hub;
  OutputFormat format = OutputFormat::kTable;
  Terminal terminal;
  std::ostream& out;             // results
  std::ostream& err;             // notes for people (never needed by scripts)
  bool assume_yes = false;       // --yes: do not ask before destructive actions
  bool can_ask = false;          // stdin and stderr are a terminal: questions can be asked
  bool err_is_terminal = false;  // notes that only help a person (a token's id) go there
  // Asks a yes/no question on the terminal (only called when can_ask).
  std::function<bool(const std::string& question)> confirm = [](const std::string&) {
    return false;
  };
  int exit_code = 0;  // set by commands that finish but must exit non-zero (status)

  bool json() const { return format == OutputFormat::kJson; }
};

// Ok with --yes, or when the person answers yes on the terminal. Otherwise kInvalidArgument:
// "cancelled", or, without a terminal to ask on, a refusal that names --yes.
Status ConfirmOrRefuse(CliContext& ctx, const std::string& question);

}  // namespace certfleet::cli
