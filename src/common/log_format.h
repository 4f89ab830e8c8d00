// Log output formats of the hub and the agent (`log_format` in their config files).
//
//   text (default)  spdlog's usual line: "[2026-12-06 02:38:08.123] [info] hub: ..."
//   json            one JSON object per line, for Loki / Elasticsearch / journald exports:
//     {"time":"2026-12-06T02:38:08.123Z","level":"info","component":"hub",
//      "message":"shop.example: stored certificate 3 ...","domain":"shop.example","order":"7"}
//     time is UTC with milliseconds; level is spdlog's name (trace debug info warn error
//     critical); component names the program; the ScopedLogFields of the logging thread
//     (common/log_fields.h) follow as string keys. Keys never repeat: a field named like
//     one of the four fixed keys is written as "field_<name>". Without a "domain" field, a
//     message that starts with "<dns name>: " (our convention for lines about one domain,
//     e.g. the agent's "shop.example: certificate 3 deployed and served") gets that name as
//     "domain".
//
// In the text format every message goes through EscapeLogText: a line is one line, whatever
// a hub, an agent or a command put into it (review 2026-12-06, F15: a hub-supplied domain
// name with NUL, newlines or ANSI escapes reached the agent's log raw).
//
// Secrets never reach the output in either format by design (nothing logs them); both
// formatters additionally pass every message and field through RedactSecrets, so a
// token or a private key that slipped into an error text is not shipped to a log store.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "common/error.h"
#include "common/log_fields.h"

namespace certfleet {

enum class LogFormat { kText, kJson };

// "text" or "json"; kInvalidArgument naming both otherwise.
Result<LogFormat> ParseLogFormat(std::string_view name);

// Replaces certfleet token secrets ("cf_" + 40 or more base64url characters) with
// "cf_[redacted]" and every PEM PRIVATE KEY block (also an unterminated one) with
// "[redacted private key]".
std::string RedactSecrets(std::string_view text);

// `text` with control characters written visibly: newline "\\n", CR "\\r", any other byte
// below 0x20 (except tab) and DEL as "\\xNN". Pure.
std::string EscapeLogText(std::string_view text);

// One JSON log line (with the trailing '\n') as described above. Pure, for tests.
std::string FormatJsonLogLine(std::chrono::system_clock::time_point time, std::string_view level,
                              std::string_view component, std::string_view message,
                              const std::vector<LogField>& fields);

// Sets the format of spdlog's default logger (and so of every line the process logs).
// Call once at start-up, before other threads log.
void ConfigureLogging(LogFormat format, std::string_view component);

}  // namespace certfleet
