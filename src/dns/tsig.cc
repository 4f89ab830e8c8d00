#include "dns/tsig.h"

#include <sys/stat.h>

#include <array>
#include <cstdio>
#include <optional>

#include "common/atomic_file.h"
#include "common/encoding.h"
#include "dns/ldns_util.h"
#include "dns/message.h"

namespace certfleet::dns {
namespace {

constexpr std::array<std::string_view, 3> kAlgorithms = {"hmac-sha256", "hmac-sha384",
                                                         "hmac-sha512"};
constexpr std::size_t kMinSecretBytes = 16;

std::string Trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return "";
  const auto last = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(first, last - first + 1));
}

// The text after `keyword` up to `end` (exclusive), trimmed; nullopt when absent.
std::optional<std::string> Between(std::string_view text, std::string_view keyword, char end) {
  const auto start = text.find(keyword);
  if (start == std::string_view::npos) return std::nullopt;
  const auto from = start + keyword.size();
  const auto stop = text.find(end, from);
  if (stop == std::string_view::npos) return std::nullopt;
  return Trim(text.substr(from, stop - from));
}

// tsig-keygen's output: key "NAME" { algorithm ALG; secret "BASE64"; };
Status ReadKeyClause(std::string_view text, const std::string& file, TsigKey* key) {
  auto secret = Between(text, "secret \"", '"');
  if (!secret) {
    return Fail(ErrorCode::kInvalidArgument,
                "TSIG key file " + file + " has a key clause without secret \"...\";");
  }
  key->secret = *secret;
  if (auto algorithm = Between(text, "algorithm ", ';')) key->algorithm = *algorithm;
  if (auto name = Between(text, "key \"", '"'); name && key->name.empty())
    key->name = CanonicalName(*name);
  return Ok();
}

std::string OctalMode(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

}  // namespace

Status ValidateTsigKey(const TsigKey& key) {
  const std::string what = "TSIG key \"" + key.name + "\"";
  if (key.name.empty())
    return Fail(ErrorCode::kInvalidArgument, "a TSIG key needs a name (key_name)");
  if (auto name = internal::NameRdf(key.name); !name) return Fail(name.error().WithContext(what));
  bool known = false;
  for (std::string_view algorithm : kAlgorithms) known = known || key.algorithm == algorithm;
  if (!known) {
    return Fail(ErrorCode::kInvalidArgument,
                what + ": algorithm \"" + key.algorithm +
                    "\" is not accepted; use hmac-sha256, hmac-sha384 or hmac-sha512");
  }
  auto secret = Base64Decode(key.secret);
  if (!secret || secret->size() < kMinSecretBytes) {
    return Fail(ErrorCode::kInvalidArgument,
                what +
                    ": the secret must be base64 of at least 16 bytes (as tsig-keygen "
                    "prints it)");
  }
  return Ok();
}

Status ReadTsigSecretFile(const std::filesystem::path& file, TsigKey* key) {
  struct stat info {};
  if (::stat(file.c_str(), &info) != 0) {
    return Fail(ErrorCode::kNotFound, "TSIG key file " + file.string() + " cannot be read");
  }
  if ((info.st_mode & 077) != 0) {
    return Fail(ErrorCode::kPermissionDenied,
                "TSIG key file " + file.string() + " has mode " + OctalMode(info.st_mode) +
                    "; it must be readable by its owner only: chmod 600 " + file.string());
  }
  auto text = ReadFile(file, 16 * 1024);
  if (!text) return Fail(text.error().WithContext("reading the TSIG key file"));
  if (text->find("secret") != std::string::npos) return ReadKeyClause(*text, file.string(), key);
  key->secret = Trim(*text);
  return Ok();
}

std::string TsigAlgorithmName(const TsigKey& key) { return key.algorithm + "."; }

}  // namespace certfleet::dns
