#include "common/domain_name.h"

#include <idn2.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <optional>

namespace certfleet {
namespace {

constexpr size_t kMaxNameLength = 253;  // RFC 1035 §2.3.4, without the trailing dot
constexpr size_t kMaxLabelLength = 63;

std::string Quote(std::string_view input) {
  std::string out = "\"";
  for (const char c : input) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      out += "\\x";
      constexpr std::string_view kHex = "0123456789abcdef";
      out += kHex[u >> 4];
      out += kHex[u & 15];
    } else {
      out += c;
    }
  }
  return out + "\"";
}

Error Invalid(std::string_view input, std::string_view why) {
  return Error{ErrorCode::kInvalidArgument,
               "invalid domain name " + Quote(input) + ": " + std::string(why)};
}

bool IsAscii(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// Characters that could turn a name into a path or a header injection; checked
// before anything else so the message names the real danger.
std::optional<Error> RejectDangerous(std::string_view input) {
  if (input.empty()) return Invalid(input, "it is empty");
  for (const char c : input) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '/' || c == '\\') return Invalid(input, "it contains a path separator");
    if (u < 0x20 || u == 0x7f) return Invalid(input, "it contains a control character");
    if (c == ' ') return Invalid(input, "it contains a space");
  }
  if (input.find("..") != std::string_view::npos)
    return Invalid(input, "it contains an empty label (\"..\")");
  return std::nullopt;
}

Result<std::string> ToAscii(std::string_view input, std::string_view name) {
  if (IsAscii(name)) {
    std::string lower(name);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](char c) {
      return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    });
    return lower;
  }
  char* out = nullptr;
  const std::string owned(name);
  const int rc = idn2_to_ascii_8z(owned.c_str(), &out, IDN2_NONTRANSITIONAL | IDN2_NFC_INPUT);
  std::unique_ptr<char, decltype(&idn2_free)> holder(out, &idn2_free);
  if (rc != IDN2_OK) {
    return Fail(Invalid(input, std::string("it is not a valid internationalized name (") +
                                   idn2_strerror(rc) + ")"));
  }
  return std::string(out);
}

std::optional<Error> CheckLabel(std::string_view input, std::string_view label) {
  if (label.empty()) return Invalid(input, "it contains an empty label");
  if (label.size() > kMaxLabelLength) {
    return Invalid(input, "label \"" + std::string(label) + "\" is longer than 63 characters");
  }
  for (const char c : label) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok) {
      return Invalid(input, std::string("character '") + c +
                                "' is not allowed (only letters, digits and '-')");
    }
  }
  if (label.front() == '-' || label.back() == '-') {
    return Invalid(input, "label \"" + std::string(label) + "\" starts or ends with '-'");
  }
  return std::nullopt;
}

// Review 2026-12-06, F16: an ASCII "xn--" label skipped IDNA checks, so "xn--zz.example" was
// stored and refused only later by the CA. An A-label must decode (RFC 3492) to a name that
// encodes back to exactly this label (IDNA2008, as the CA checks it); other labels with
// "--" in positions 3-4 are reserved (RFC 5891 §4.2.3.1) and CAs refuse them too.
std::optional<Error> CheckReservedLabel(std::string_view input, std::string_view label) {
  if (label.size() < 4 || label[2] != '-' || label[3] != '-') return std::nullopt;
  if (!label.starts_with("xn--")) {
    return Invalid(input, "label \"" + std::string(label) +
                              "\" has '--' in positions 3-4, which is reserved for "
                              "encodings such as xn-- (punycode)");
  }
  const std::string owned(label);
  char* unicode = nullptr;
  const int rc = idn2_to_unicode_8z8z(owned.c_str(), &unicode, 0);
  std::unique_ptr<char, decltype(&idn2_free)> unicode_holder(unicode, &idn2_free);
  char* back = nullptr;
  const int rc_back =
      rc == IDN2_OK ? idn2_to_ascii_8z(unicode, &back, IDN2_NONTRANSITIONAL | IDN2_NFC_INPUT) : rc;
  std::unique_ptr<char, decltype(&idn2_free)> back_holder(back, &idn2_free);
  if (rc_back != IDN2_OK || owned != back) {
    return Invalid(input, "label \"" + owned +
                              "\" is not valid punycode for an internationalized name (" +
                              (rc_back != IDN2_OK ? std::string(idn2_strerror(rc_back))
                                                  : "it does not encode back to itself") +
                              ")");
  }
  return std::nullopt;
}

std::optional<Error> CheckLabels(std::string_view input, std::string_view ascii) {
  size_t labels = 0;
  std::string_view last;
  size_t start = 0;
  while (start <= ascii.size()) {
    const size_t dot = ascii.find('.', start);
    const size_t end = dot == std::string_view::npos ? ascii.size() : dot;
    last = ascii.substr(start, end - start);
    if (auto err = CheckLabel(input, last)) return err;
    if (auto err = CheckReservedLabel(input, last)) return err;
    ++labels;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (labels < 2) return Invalid(input, "it needs at least two labels, e.g. \"example.com\"");
  if (std::all_of(last.begin(), last.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return Invalid(input, "it looks like an IP address; certificates here are for domain names");
  }
  return std::nullopt;
}

}  // namespace

Result<std::string> NormalizeDomainName(std::string_view input, DomainNameOptions options) {
  if (auto err = RejectDangerous(input)) return Fail(*err);
  std::string_view name = input;
  if (name.back() == '.') name.remove_suffix(1);  // one trailing dot: the FQDN form
  if (name.empty()) return Fail(Invalid(input, "it is empty"));

  bool wildcard = false;
  if (name.starts_with("*.")) {
    if (!options.allow_wildcard) {
      return Fail(Invalid(input, "wildcards need an issuer that can solve DNS-01"));
    }
    wildcard = true;
    name.remove_prefix(2);
  }
  if (name.find('*') != std::string_view::npos) {
    return Fail(
        Invalid(input, "'*' is allowed only as the whole leftmost label (\"*.example.com\")"));
  }

  auto ascii = ToAscii(input, name);
  if (!ascii) return Fail(ascii.error());
  if (auto err = CheckLabels(input, *ascii)) return Fail(*err);

  std::string result = wildcard ? "*." + *ascii : *ascii;
  if (result.size() > kMaxNameLength)
    return Fail(Invalid(input, "it is longer than 253 characters"));
  return result;
}

bool IsCanonicalDomainName(std::string_view name, DomainNameOptions options) {
  auto normalized = NormalizeDomainName(name, options);
  return normalized && *normalized == name;
}

}  // namespace certfleet
