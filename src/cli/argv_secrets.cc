#include "cli/argv_secrets.h"

#include <cstring>
#include <string_view>

namespace certfleet::cli {
namespace {

void Overwrite(char* value) { std::memset(value, 'x', std::strlen(value)); }

}  // namespace

void HideTokenArguments(int argc, char** argv) {
  constexpr std::string_view kFlag = "--token";
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--") return;  // what follows is not ours to parse
    if (arg == kFlag && i + 1 < argc) {
      Overwrite(argv[++i]);
    } else if (arg.size() > kFlag.size() && arg.substr(0, kFlag.size() + 1) == "--token=") {
      Overwrite(argv[i] + kFlag.size() + 1);
    }
  }
}

}  // namespace certfleet::cli
