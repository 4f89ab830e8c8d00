#include "cli/acme_dns01.h"

#include "common/clock.h"
#include "dns/message.h"
#include "dns/tsig.h"

namespace certfleet::cli {
namespace {

Result<dns::ServerAddress> Address(std::string_view flag, const std::string& text) {
  auto address = dns::ParseServerAddress(text);
  if (!address) return Fail(address.error().WithContext(std::string(flag)));
  return *address;
}

Result<dns::TsigKey> Key(const AcmeDns01Options& o, const EnvGetter& env) {
  dns::TsigKey key{dns::CanonicalName(o.key_name), "hmac-sha256", ""};
  if (!o.secret_file.empty()) {
    if (auto read = dns::ReadTsigSecretFile(o.secret_file, &key); !read)
      return Fail(read.error().WithContext("--tsig-secret-file"));
  } else if (auto secret = env("CERTFLEET_TSIG_SECRET")) {
    key.secret = *secret;
  } else {
    return Fail(ErrorCode::kInvalidArgument,
                "--tsig-secret-file or CERTFLEET_TSIG_SECRET is required with --dns01-rfc2136");
  }
  if (!o.key_algorithm.empty()) key.algorithm = o.key_algorithm;
  if (key.name.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                "--tsig-key is required (or a --tsig-secret-file as tsig-keygen writes it)");
  }
  return key;
}

}  // namespace

Result<std::unique_ptr<solver::Rfc2136Solver>> MakeRfc2136Solver(const AcmeDns01Options& o,
                                                                 const EnvGetter& env) {
  if (o.zone.empty())
    return Fail(ErrorCode::kInvalidArgument, "--dns01-zone is required with --dns01-rfc2136");
  solver::Rfc2136Settings settings;
  settings.zone = dns::CanonicalName(o.zone);
  auto server = Address("--dns01-rfc2136", o.server);
  if (!server) return Fail(server.error());
  settings.server = *server;
  auto key = Key(o, env);
  if (!key) return Fail(key.error());
  settings.key = std::move(*key);
  for (const std::string& text : o.check) {
    auto check = Address("--dns01-check", text);
    if (!check) return Fail(check.error());
    settings.check_servers.push_back(*check);
  }
  if (!o.resolver.empty()) {
    auto resolver = Address("--dns01-resolver", o.resolver);
    if (!resolver) return Fail(resolver.error());
    settings.resolver = *resolver;
  }
  settings.propagation_timeout = std::chrono::seconds(o.timeout_seconds);
  if (auto valid = solver::ValidateRfc2136Settings(settings); !valid) return Fail(valid.error());
  return std::make_unique<solver::Rfc2136Solver>(std::move(settings), SystemClock::Instance());
}

}  // namespace certfleet::cli
