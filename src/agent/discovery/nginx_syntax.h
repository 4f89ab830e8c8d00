// nginx configuration syntax: one file's text → a tree of directives.
//
// Follows nginx's own tokenizer (src/core/ngx_conf_file.c, ngx_conf_read_token) closely
// enough that every configuration nginx accepts parses the same way here:
// - words are separated by blanks; ";" ends a directive, "{" opens its block, "}" closes it;
// - "#" at the start of a word starts a comment to the end of the line;
// - "..." and '...' are one word; a backslash escapes the next character; the escapes
//   \" \' \\ \t \r \n are unescaped (others, such as \d in regexes, are kept as written);
// - "${" inside a word belongs to a variable (it opens no block), and "}" inside a word is
//   an ordinary character, as in nginx.
// Directives keep the file and the 1-based line of their name, so a report can point at
// the exact line to change.
//
// Pure; the input is a local configuration file, yet it is treated as untrusted text:
// nesting is limited to kMaxNginxDepth and every error names the file and line.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace certfleet::agent::discovery {

inline constexpr int kMaxNginxDepth = 64;

struct NginxDirective {
  std::string name;
  std::vector<std::string> args;  // unquoted and unescaped
  std::string file;
  int line = 0;
  bool block = false;  // "name args { ... }"
  std::vector<NginxDirective> children;
};

// kInvalidArgument "nginx config /etc/nginx/x.conf line 12: unexpected \"}\"" for text
// nginx would refuse (unbalanced braces, unterminated quotes, a directive without ";").
Result<std::vector<NginxDirective>> ParseNginxConfig(std::string_view text, std::string_view file);

}  // namespace certfleet::agent::discovery
