// UTF-8 at the boundaries: every text that enters certfleet from outside (API bodies and
// headers, agent reports, certificate fields, command output, CA and transport errors) is
// made valid UTF-8 before it is stored or serialised, because a strict JSON encoder throws
// on anything else (review 2026-12-06, F1/F2/F6).
//
// Valid means RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF.
// All functions are pure and thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace certfleet {

// True when `text` is well-formed UTF-8.
bool IsValidUtf8(std::string_view text);

// `text` with every byte that does not start a well-formed sequence replaced by U+FFFD.
// Valid input is returned unchanged.
std::string ToValidUtf8(std::string_view text);

// ToValidUtf8(text), then cut to at most `max_bytes` bytes without splitting a character.
std::string TruncateUtf8(std::string_view text, std::size_t max_bytes);

// Length of the well-formed sequence that starts at text[i] (1 for ASCII), or 0 when the
// bytes there are not well-formed UTF-8. Requires i < text.size().
std::size_t Utf8SequenceLength(std::string_view text, std::size_t i);

}  // namespace certfleet
