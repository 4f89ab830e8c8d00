// How the admin commands print: `-o table` (default; columns that fit the terminal),
// `wide` (more columns), `json` (the hub's JSON), `csv` (every column, for spreadsheets)
// and `name` (one name per line, for shell loops). stdout carries results only.
#pragma once

#include <iosfwd>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace certfleet::cli {

enum class OutputFormat { kTable, kWide, kJson, kCsv, kName };
// kInvalidArgument naming the choices for anything else.
Result<OutputFormat> ParseOutputFormat(std::string_view text);

// Where the output goes: a terminal gets colours (unless NO_COLOR is set) and rows cut to
// its width; a pipe gets plain, full lines.
struct Terminal {
  bool tty = false;
  bool color = false;
  std::size_t width = 0;  // columns; 0 = unlimited
};
// For file descriptor `fd` (1 = stdout): isatty, the window size (or COLUMNS), NO_COLOR.
Terminal DetectTerminal(int fd);

struct Column {
  std::string header;
  bool wide_only = false;  // shown by -o wide and csv only
  bool shrinks = false;    // may be cut in the middle to fit the terminal ("shop…example.com")
};

// Rows of cells; `tones` (optional, one per row: "bad", "warn", "ok" or "") colours the
// cells of the column `tone_column` on a colour terminal.
struct Table {
  std::vector<Column> columns;
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> tones;
  int tone_column = -1;
};

// Display width of UTF-8 text (code points; no double-width detection).
std::size_t DisplayWidth(std::string_view text);
// `text` cut in the middle with "…" so it takes at most `width` columns.
std::string FitMiddle(std::string_view text, std::size_t width);

void PrintTable(std::ostream& out, const Table& table, bool wide, const Terminal& terminal);
// RFC 4180 with a header line; every column.
void PrintCsv(std::ostream& out, const Table& table);
// The first column, one per line.
void PrintNames(std::ostream& out, const Table& table);
// `format` picks one of the above; kJson prints `json` (indented).
void Print(std::ostream& out, OutputFormat format, const Table& table, const nlohmann::json& json,
           const Terminal& terminal);

}  // namespace certfleet::cli
