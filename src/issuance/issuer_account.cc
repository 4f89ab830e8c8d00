#include "issuance/issuer_account.h"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>
#include <system_error>

#include "acme/account.h"
#include "common/atomic_file.h"
#include "common/encoding.h"
#include "crypto/sealed_key.h"
#include "crypto/secret.h"
#include "store/model.h"

namespace certfleet::issuance {
namespace {

constexpr int kFileVersion = 1;

std::string AssociatedData(const std::string& issuer) { return "acme-account:" + issuer; }

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.';
}

}  // namespace

Status ValidateIssuerName(std::string_view name) {
  const std::string quoted = "issuer name \"" + std::string(name) + "\"";
  if (name.empty() || name.size() > 64)
    return Fail(ErrorCode::kInvalidArgument, quoted + " must have 1 to 64 characters");
  if (name == store::kManualIssuer)
    return Fail(ErrorCode::kInvalidArgument, quoted + " is reserved for uploaded certificates");
  if (name.front() == '.')
    return Fail(ErrorCode::kInvalidArgument, quoted + " must not start with '.'");
  for (char c : name) {
    if (!IsNameChar(c))
      return Fail(ErrorCode::kInvalidArgument,
                  quoted + " may contain only letters, digits, '-', '_' and '.'");
  }
  return Ok();
}

bool IsAccountDoesNotExist(const Error& error) {
  return error.code == ErrorCode::kNotFound &&
         error.message.find("accountDoesNotExist") != std::string::npos;
}

IssuerAccount::IssuerAccount(IssuerConfig config, const crypto::Envelope& envelope,
                             std::filesystem::path data_dir, store::AcmeAccountBook* book)
    : config_(std::move(config)),
      envelope_(envelope),
      data_dir_(std::move(data_dir)),
      book_(book) {}

std::filesystem::path IssuerAccount::path() const {
  return data_dir_ / "acme" / (config_.name + ".account");
}

Result<bool> IssuerAccount::ReadAccountFile() {
  auto text = ReadFile(path(), 64 * 1024);
  if (!text && text.error().code == ErrorCode::kNotFound) return false;
  if (!text) return Fail(text.error());
  const auto json = nlohmann::json::parse(*text, nullptr, false);
  if (!json.is_object() || !json.contains("key") || !json["key"].is_string()) {
    return Fail(ErrorCode::kCorrupt, path().string() + " is not a certfleet account file");
  }
  auto sealed = Base64UrlDecode(json["key"].get<std::string>());
  if (!sealed)
    return Fail(ErrorCode::kCorrupt, path().string() + ": the sealed key is not base64url");
  auto pem = envelope_.Open(*sealed, AssociatedData(config_.name));
  if (!pem) return Fail(pem.error().WithContext("opening the account key in " + path().string()));
  auto key = crypto::PrivateKey::FromPem(pem->view());
  if (!key) return Fail(key.error().WithContext("reading the account key in " + path().string()));
  key_ = *key;
  const auto text_field = [&json](const char* name) {
    return json.contains(name) && json[name].is_string() ? json[name].get<std::string>() : "";
  };
  url_ = text_field("account_url");
  directory_url_ = text_field("directory_url");
  return true;
}

Status IssuerAccount::LoadOrCreateKey() {
  auto read = ReadAccountFile();
  if (!read) return Fail(read.error());
  if (*read) return Ok();
  auto key = crypto::PrivateKey::Generate(crypto::KeyType::kEcP256);
  if (!key) return Fail(key.error().WithContext("generating the account key"));
  key_ = *key;
  return Save();
}

Status IssuerAccount::LoadFromBook() {
  const std::string& dir = config_.directory_url;
  auto found = book_->GetAcmeAccount(dir);
  if (found) return Adopt(*found);
  if (found.error().code != ErrorCode::kNotFound)
    return Fail(found.error().WithContext("reading the ACME account from the database"));
  // None stored yet: offer this hub's file account (an upgraded hub keeps its account),
  // else a new key. Whatever is stored first is what every hub uses.
  auto read = ReadAccountFile();
  if (!read) return Fail(read.error());
  store::AcmeAccount offer{dir, config_.name, "", "", {}, {}};
  if (*read) {
    if (directory_url_ == dir) offer.account_url = url_;
  } else {
    auto key = crypto::PrivateKey::Generate(crypto::KeyType::kEcP256);
    if (!key) return Fail(key.error().WithContext("generating the account key"));
    key_ = *key;
  }
  offer.sealed_key = crypto::SealAccountKey(envelope_, *key_, dir);
  auto stored = book_->AddAcmeAccount(offer);
  if (!stored) return Fail(stored.error().WithContext("storing the ACME account in the database"));
  if (stored->sealed_key == offer.sealed_key && *read) {
    spdlog::info("issuer {}: the ACME account of {} is now kept in the database", config_.name,
                 path().string());
  }
  return Adopt(*stored);
}

Status IssuerAccount::Adopt(const store::AcmeAccount& row) {
  auto key = crypto::OpenAccountKey(envelope_, row.sealed_key, row.directory_url);
  if (!key) {
    return Fail(key.error().WithContext("opening the ACME account key stored in the database for " +
                                        row.directory_url + " (sealed under another master key?)"));
  }
  key_ = *key;
  url_ = row.account_url;
  directory_url_ = row.directory_url;
  return Ok();
}

Status IssuerAccount::Save() const {
  std::error_code ec;
  std::filesystem::create_directories(path().parent_path(), ec);
  if (ec)
    return Fail(ErrorCode::kIo, "creating " + path().parent_path().string() + ": " + ec.message());
  const nlohmann::json json = {
      {"version", kFileVersion},
      {"issuer", config_.name},
      {"directory_url", directory_url_},
      {"account_url", url_},
      {"key", Base64UrlEncode(envelope_.Seal(crypto::Secret(key_->ToPem()).view(),
                                             AssociatedData(config_.name)))},
  };
  return WriteFileAtomically(path(), json.dump(2) + "\n", 0600);
}

Status IssuerAccount::Register(acme::Session& session) {
  acme::NewAccountRequest request;
  if (!config_.contact_email.empty()) {
    const bool has_scheme = config_.contact_email.starts_with("mailto:");
    request.contact.push_back((has_scheme ? "" : "mailto:") + config_.contact_email);
  }
  if (!config_.eab_kid.empty()) {
    request.eab = acme::ExternalAccountBinding{config_.eab_kid, config_.eab_hmac_key};
  }
  auto account = acme::NewAccount(session, *key_, request);
  if (!account) return Fail(account.error().WithContext("registering the ACME account"));
  url_ = account->url;
  directory_url_ = config_.directory_url;
  spdlog::info("issuer {}: ACME account {}", config_.name, url_);
  if (!book_) return Save();
  if (auto s = book_->SetAcmeAccountUrl(config_.directory_url, url_); !s)
    return Fail(s.error().WithContext("storing the ACME account URL in the database"));
  return Ok();
}

Result<acme::Signer> IssuerAccount::Signer(acme::Session& session) {
  std::lock_guard lock(mu_);
  const std::string context = "issuer " + config_.name;
  if (!key_) {
    auto loaded = book_ ? LoadFromBook() : LoadOrCreateKey();
    if (!loaded) {
      key_.reset();
      return Fail(loaded.error().WithContext(context));
    }
  }
  if (url_.empty() || directory_url_ != config_.directory_url) {
    if (auto registered = Register(session); !registered) {
      return Fail(registered.error().WithContext(context));
    }
  }
  return acme::Signer{*key_, url_};
}

void IssuerAccount::Invalidate(const std::string& stale_url) {
  std::lock_guard lock(mu_);
  if (url_ == stale_url) url_.clear();
}

}  // namespace certfleet::issuance
