#include "crypto/pem.h"

#include <algorithm>

#include "common/encoding.h"

namespace certfleet::crypto {
namespace {

constexpr std::string_view kBegin = "-----BEGIN ";
constexpr std::string_view kDashes = "-----";

bool IsBlank(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; });
}

Error BlockError(size_t number, std::string_view label, std::string_view what) {
  std::string message = "PEM block " + std::to_string(number);
  if (!label.empty()) message += " (" + std::string(label) + ")";
  return Error{ErrorCode::kInvalidArgument, message + ": " + std::string(what)};
}

}  // namespace

Result<PemBundle> DecodePemBlocks(std::string_view text) {
  PemBundle bundle;
  size_t pos = 0;
  while (true) {
    const size_t begin = text.find(kBegin, pos);
    if (!IsBlank(text.substr(
            pos, begin == std::string_view::npos ? std::string_view::npos : begin - pos))) {
      bundle.other_text = true;
    }
    if (begin == std::string_view::npos) break;
    const size_t number = bundle.blocks.size() + 1;
    const size_t label_start = begin + kBegin.size();
    const size_t label_end = text.find(kDashes, label_start);
    const size_t line_end = text.find('\n', label_start);
    if (label_end == std::string_view::npos || label_end > line_end) {
      return Fail(BlockError(number, "", "malformed BEGIN line"));
    }
    const std::string label(text.substr(label_start, label_end - label_start));
    const std::string end_line = "-----END " + label + "-----";
    const size_t body_start = label_end + kDashes.size();
    const size_t end = text.find(end_line, body_start);
    if (end == std::string_view::npos) return Fail(BlockError(number, label, "no END line"));
    auto der = Base64Decode(text.substr(body_start, end - body_start));
    if (!der) return Fail(BlockError(number, label, "body is not valid base64"));
    if (der->empty()) return Fail(BlockError(number, label, "body is empty"));
    bundle.blocks.push_back(PemBlock{label, std::move(*der)});
    pos = end + end_line.size();
  }
  return bundle;
}

std::string EncodePem(std::string_view label, std::string_view der) {
  const std::string body = Base64Encode(der);
  std::string out = "-----BEGIN " + std::string(label) + "-----\n";
  for (size_t i = 0; i < body.size(); i += 64) {
    out.append(body, i, 64);
    out += '\n';
  }
  out += "-----END " + std::string(label) + "-----\n";
  return out;
}

}  // namespace certfleet::crypto
