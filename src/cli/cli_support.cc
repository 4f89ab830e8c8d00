// OnCli (hub connection + CliContext for a command), parse errors with "did you mean",
// and `certfleet completion bash|zsh|fish` (see flags.h).
#include <unistd.h>

#include <iostream>
#include <set>

#include "cli/flags.h"
#include "common/atomic_file.h"
#include "common/did_you_mean.h"

namespace certfleet::cli {
namespace {

bool AskOnTerminal(const std::string& question) {
  std::cerr << question << " [y/N] " << std::flush;
  std::string answer;
  if (!std::getline(std::cin, answer)) return false;
  return answer == "y" || answer == "Y" || answer == "yes";
}

Status LoadTokenFile(GlobalFlags& g) {
  if (g.token_file.empty()) return Ok();
  auto text = ReadFile(g.token_file, 4096);
  if (!text) return Fail(text.error().WithContext("--token-file"));
  std::string token = *text;
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r' || token.back() == ' ')) {
    token.pop_back();
  }
  g.hub.token = token;
  return Ok();
}

std::string PathOf(const CLI::App* app) {
  std::string path;
  for (const CLI::App* a = app; a != nullptr; a = a->get_parent()) {
    path = a->get_name() + (path.empty() ? "" : " " + path);
  }
  return path;
}

std::vector<std::string> SubcommandNames(const CLI::App* app) {
  std::vector<std::string> names;
  for (const auto* sub : app->get_subcommands([](const CLI::App*) { return true; })) {
    names.push_back(sub->get_name());
  }
  return names;
}

std::vector<std::string> FlagNames(const CLI::App* app) {
  std::vector<std::string> names;
  for (const CLI::App* a = app; a != nullptr; a = a->get_parent()) {
    for (const auto* opt : a->get_options()) {
      for (const auto& l : opt->get_lnames()) names.push_back("--" + l);
    }
  }
  return names;
}

std::string Choices(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// Walks argv along the subcommand tree; describes the first word that fits nowhere.
std::string Explain(CLI::App& app, int argc, char** argv) {
  const CLI::App* at = &app;
  for (int i = 1; i < argc; ++i) {
    const std::string word = argv[i];
    if (word.rfind("--", 0) == 0) {
      const std::string flag = word.substr(0, word.find('='));
      const auto names = FlagNames(at);
      if (std::find(names.begin(), names.end(), flag) != names.end()) continue;
      const auto guess = DidYouMean(flag, names);
      return "unknown flag " + flag + " for '" + PathOf(at) + "'" +
             (guess ? " (did you mean " + *guess + "?)" : "") + "; see " + PathOf(at) + " --help";
    }
    if (word.rfind('-', 0) == 0) continue;
    const auto subs = SubcommandNames(at);
    if (subs.empty()) continue;  // a value or positional argument
    if (std::find(subs.begin(), subs.end(), word) != subs.end()) {
      at = at->get_subcommand(word);
      continue;
    }
    if (i > 1 && std::string(argv[i - 1]).rfind("--", 0) == 0 &&
        std::string(argv[i - 1]).find('=') == std::string::npos) {
      continue;  // most likely the value of the flag before it
    }
    const auto guess = DidYouMean(word, subs);
    return "unknown command '" + word + "' for '" + PathOf(at) + "'" +
           (guess ? " (did you mean '" + *guess + "'?)" : "") + "; choices: " + Choices(subs);
  }
  if (!at->get_subcommands([](const CLI::App*) { return true; }).empty() &&
      at->get_require_subcommand_min() > 0) {
    return "'" + PathOf(at) + "' needs a command: " + Choices(SubcommandNames(at));
  }
  return "";
}

// Every subcommand path ("certfleet", "certfleet domain", …) with its words (subcommands and
// long flags), for the completion scripts.
void Collect(const CLI::App* app, const std::string& path,
             std::vector<std::pair<std::string, std::string>>& out) {
  std::string words;
  for (const auto& n : SubcommandNames(app)) words += n + " ";
  for (const auto* opt : app->get_options()) {
    for (const auto& l : opt->get_lnames()) words += "--" + l + " ";
  }
  out.emplace_back(path, words);
  for (const auto* sub : app->get_subcommands([](const CLI::App*) { return true; })) {
    Collect(sub, path + " " + sub->get_name(), out);
  }
}

std::string BashScript(const CLI::App& app) {
  std::vector<std::pair<std::string, std::string>> paths;
  Collect(&app, "certfleet", paths);
  std::string out =
      "# certfleet bash completion: source <(certfleet completion bash)\n"
      "declare -gA _certfleet_words=(\n";
  for (const auto& [path, words] : paths) out += "  [\"" + path + "\"]=\"" + words + "\"\n";
  out +=
      ")\n_certfleet() {\n"
      "  local cur=\"${COMP_WORDS[COMP_CWORD]}\" path=certfleet i w\n"
      "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
      "    w=\"${COMP_WORDS[i]}\"\n"
      "    [[ -n \"${_certfleet_words[$path $w]+x}\" ]] && path=\"$path $w\"\n"
      "  done\n"
      "  COMPREPLY=($(compgen -W \"${_certfleet_words[$path]}\" -- \"$cur\"))\n"
      "}\ncomplete -F _certfleet certfleet\n";
  return out;
}

std::string FishScript(const CLI::App& app) {
  std::vector<std::pair<std::string, std::string>> paths;
  Collect(&app, "certfleet", paths);
  std::string out = "# certfleet fish completion: certfleet completion fish | source\n";
  for (const auto& [path, words] : paths) {
    const bool top = path == "certfleet";
    const std::string last = path.substr(path.rfind(' ') + 1);
    const std::string cond = top ? "__fish_use_subcommand" : "__fish_seen_subcommand_from " + last;
    out += "complete -c certfleet -f -n '" + cond + "' -a '" + words + "'\n";
  }
  return out;
}

}  // namespace

void OnCli(CLI::App* cmd, GlobalFlags& g, std::function<Status()>& run, CliCommand command) {
  cmd->callback([&g, &run, command = std::move(command)] {
    run = [&g, command] {
      auto format = ParseOutputFormat(g.output);
      if (!format) return Status(Fail(format.error()));
      if (auto s = LoadTokenFile(g); !s) return s;
      auto hub = HubClient::Create(g.hub);
      if (!hub) return Status(Fail(hub.error()));
      CliContext ctx{*hub, *format, DetectTerminal(1), std::cout, std::cerr};
      ctx.assume_yes = g.yes;
      ctx.err_is_terminal = ::isatty(2) == 1;
      ctx.can_ask = ::isatty(0) == 1 && ctx.err_is_terminal;
      ctx.confirm = AskOnTerminal;
      const Status status = command(ctx);
      g.exit_code = ctx.exit_code;
      return status;
    };
  });
}

int ReportParseError(CLI::App& app, const CLI::ParseError& e, int argc, char** argv) {
  if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
  std::string message = Explain(app, argc, argv);
  if (message.empty()) message = e.what();
  std::cerr << "certfleet: " << message << "\n";
  return 2;
}

void AddCompletionCommand(CLI::App& app, std::function<Status()>& run) {
  auto shell = std::make_shared<std::string>();
  auto* completion = app.add_subcommand("completion", "Print a shell completion script");
  completion->add_option("shell", *shell, "bash|zsh|fish")
      ->required()
      ->check(CLI::IsMember({"bash", "zsh", "fish"}));
  completion->footer(
      "Examples:\n  source <(certfleet completion bash)      # in ~/.bashrc\n"
      "  certfleet completion zsh > ~/.zfunc/_certfleet_bash  # zsh via bashcompinit\n"
      "  certfleet completion fish > ~/.config/fish/completions/certfleet.fish");
  completion->callback([&app, &run, shell] {
    run = [&app, shell]() -> Status {
      if (*shell == "fish") {
        std::cout << FishScript(app);
      } else {
        if (*shell == "zsh") std::cout << "autoload -U +X bashcompinit && bashcompinit\n";
        std::cout << BashScript(app);
      }
      return Ok();
    };
  });
}

}  // namespace certfleet::cli
