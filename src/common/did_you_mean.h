// "Did you mean …?" for names people type: customers, machines, domains, CLI commands and
// flags. Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace certfleet {

// The candidate closest to `wanted` when it is a likely typo: the same letters in another
// case, or at most two edits (insert, delete, replace) away for words of four or more
// characters (one for shorter ones). nullopt when nothing is that close.
std::optional<std::string> DidYouMean(std::string_view wanted,
                                      const std::vector<std::string>& candidates);

// Levenshtein distance, case-insensitive for ASCII letters.
std::size_t EditDistance(std::string_view a, std::string_view b);

}  // namespace certfleet
