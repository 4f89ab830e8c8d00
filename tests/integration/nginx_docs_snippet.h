// The reload-free ```nginx block of docs/nginx.md (§4, the catch-all server), adapted to a
// test: /etc/certfleet → the test's output dir, `listen 443` → 127.0.0.1:`port`, the IPv6
// listen dropped. Tests use the documented text itself, so the docs cannot drift from what
// is tested. Needs CERTFLEET_SOURCE_DIR. Header-only (two integration tests share it).
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

namespace certfleet::testing {

inline std::string ReloadFreeDocsSnippet(const std::filesystem::path& out, std::uint16_t port) {
  std::ifstream in(std::string(CERTFLEET_SOURCE_DIR) + "/docs/nginx.md");
  std::stringstream text;
  text << in.rdbuf();
  static const std::regex kBlock("```nginx\n([^`]*?)```");
  const std::string doc = text.str();
  for (std::sregex_iterator it(doc.begin(), doc.end(), kBlock), end; it != end; ++it) {
    std::string block = (*it)[1];
    if (block.find("include /etc/certfleet/nginx/certfleet-map.conf;") == std::string::npos)
      continue;
    block = std::regex_replace(block, std::regex(R"(\n\s*listen \[::\][^\n]*)"), "");
    block = std::regex_replace(block, std::regex("listen 443 "),
                               "listen 127.0.0.1:" + std::to_string(port) + " ");
    return std::regex_replace(block, std::regex("/etc/certfleet"), out.string());
  }
  ADD_FAILURE() << "docs/nginx.md has no reload-free block";
  return "";
}

}  // namespace certfleet::testing
