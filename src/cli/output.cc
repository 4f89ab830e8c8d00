#include "cli/output.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <ostream>

namespace certfleet::cli {
namespace {

constexpr std::size_t kGap = 2;

bool IsContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }

std::string Pad(std::string_view text, std::size_t width) {
  std::string out(text);
  const std::size_t w = DisplayWidth(text);
  if (w < width) out.append(width - w, ' ');
  return out;
}

std::string_view ColorOf(std::string_view tone) {
  if (tone == "bad") return "\033[31m";
  if (tone == "warn") return "\033[33m";
  if (tone == "ok") return "\033[32m";
  return "";
}

std::vector<std::size_t> VisibleColumns(const Table& table, bool wide) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < table.columns.size(); ++i) {
    if (wide || !table.columns[i].wide_only) out.push_back(i);
  }
  return out;
}

// Column widths, with shrinking columns cut (widest first) until the line fits `limit`.
std::vector<std::size_t> Widths(const Table& table, const std::vector<std::size_t>& cols,
                                std::size_t limit) {
  std::vector<std::size_t> width(cols.size());
  for (std::size_t c = 0; c < cols.size(); ++c) {
    width[c] = DisplayWidth(table.columns[cols[c]].header);
    for (const auto& row : table.rows) {
      if (cols[c] < row.size()) width[c] = std::max(width[c], DisplayWidth(row[cols[c]]));
    }
  }
  if (limit == 0) return width;
  auto total = [&] {
    std::size_t sum = 0;
    for (auto w : width) sum += w + kGap;
    return sum;
  };
  while (total() > limit) {
    std::size_t widest = cols.size();
    for (std::size_t c = 0; c < cols.size(); ++c) {
      if (table.columns[cols[c]].shrinks && width[c] > 12 &&
          (widest == cols.size() || width[c] > width[widest])) {
        widest = c;
      }
    }
    if (widest == cols.size()) break;  // nothing left to shrink: the terminal wraps
    width[widest] -= std::min(width[widest] - 12, total() - limit);
  }
  return width;
}

std::string CsvCell(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace

Result<OutputFormat> ParseOutputFormat(std::string_view text) {
  if (text == "table" || text.empty()) return OutputFormat::kTable;
  if (text == "wide") return OutputFormat::kWide;
  if (text == "json") return OutputFormat::kJson;
  if (text == "csv") return OutputFormat::kCsv;
  if (text == "name") return OutputFormat::kName;
  return Fail(ErrorCode::kInvalidArgument,
              "-o " + std::string(text) + ": choose table, wide, json, csv or name");
}

Terminal DetectTerminal(int fd) {
  Terminal t;
  t.tty = ::isatty(fd) == 1;
  if (!t.tty) return t;
  t.color = std::getenv("NO_COLOR") == nullptr;
  winsize ws{};
  if (::ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) t.width = ws.ws_col;
  if (const char* columns = std::getenv("COLUMNS"); t.width == 0 && columns) {
    t.width = static_cast<std::size_t>(std::max(0, std::atoi(columns)));
  }
  return t;
}

std::size_t DisplayWidth(std::string_view text) {
  std::size_t n = 0;
  for (char c : text) {
    if (!IsContinuation(static_cast<unsigned char>(c))) ++n;
  }
  return n;
}

std::string FitMiddle(std::string_view text, std::size_t width) {
  if (DisplayWidth(text) <= width || width < 3) return std::string(text);
  const std::size_t keep = width - 1;  // columns left for text beside the "…"
  const std::size_t head = (keep + 1) / 2, tail = keep - head;
  // Byte offsets of the head's end and the tail's start, on code point boundaries.
  std::size_t seen = 0, head_end = 0;
  for (; head_end < text.size() && seen < head; ++head_end) {
    if (!IsContinuation(static_cast<unsigned char>(text[head_end]))) ++seen;
    if (seen == head) {
      while (head_end + 1 < text.size() &&
             IsContinuation(static_cast<unsigned char>(text[head_end + 1]))) {
        ++head_end;
      }
    }
  }
  std::size_t tail_start = text.size();
  for (std::size_t counted = 0; tail_start > head_end && counted < tail;) {
    --tail_start;
    if (!IsContinuation(static_cast<unsigned char>(text[tail_start]))) ++counted;
  }
  return std::string(text.substr(0, head_end)) + "…" + std::string(text.substr(tail_start));
}

void PrintTable(std::ostream& out, const Table& table, bool wide, const Terminal& terminal) {
  const auto cols = VisibleColumns(table, wide);
  const auto width = Widths(table, cols, terminal.tty ? terminal.width : 0);
  auto line = [&](const std::vector<std::string>& cells, std::string_view tone) {
    std::string text;
    for (std::size_t c = 0; c < cols.size(); ++c) {
      std::string cell = cols[c] < cells.size() ? cells[cols[c]] : "";
      cell = FitMiddle(cell, width[c]);
      const bool last = c + 1 == cols.size();
      std::string padded = last ? cell : Pad(cell, width[c] + kGap);
      if (terminal.color && static_cast<int>(cols[c]) == table.tone_column &&
          !ColorOf(tone).empty()) {
        padded = std::string(ColorOf(tone)) + cell + "\033[0m" +
                 (last ? "" : std::string(width[c] + kGap - DisplayWidth(cell), ' '));
      }
      text += padded;
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    out << text << "\n";
  };
  std::vector<std::string> headers;
  for (const auto& c : table.columns) headers.push_back(c.header);
  line(headers, "");
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    line(table.rows[r], r < table.tones.size() ? table.tones[r] : "");
  }
}

void PrintCsv(std::ostream& out, const Table& table) {
  for (std::size_t c = 0; c < table.columns.size(); ++c) {
    out << (c ? "," : "") << CsvCell(table.columns[c].header);
  }
  out << "\r\n";
  for (const auto& row : table.rows) {
    for (std::size_t c = 0; c < table.columns.size(); ++c) {
      out << (c ? "," : "") << CsvCell(c < row.size() ? row[c] : "");
    }
    out << "\r\n";
  }
}

void PrintNames(std::ostream& out, const Table& table) {
  for (const auto& row : table.rows) {
    if (!row.empty()) out << row[0] << "\n";
  }
}

void Print(std::ostream& out, OutputFormat format, const Table& table, const nlohmann::json& json,
           const Terminal& terminal) {
  switch (format) {
    case OutputFormat::kJson:
      out << json.dump(2) << "\n";
      return;
    case OutputFormat::kCsv:
      PrintCsv(out, table);
      return;
    case OutputFormat::kName:
      PrintNames(out, table);
      return;
    case OutputFormat::kWide:
      PrintTable(out, table, true, terminal);
      return;
    case OutputFormat::kTable:
      PrintTable(out, table, false, terminal);
      return;
  }
}

}  // namespace certfleet::cli
