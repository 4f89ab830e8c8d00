// Records real Pebble traffic as fuzz seeds (issue 13): every response the ACME client gets
// while issuing through a real Pebble (account, orders, authorizations, challenges, problem
// documents from badNonce and failed validations, certificate chains, Link/Retry-After
// headers, and our own JWS requests) is sorted by kind into tests/fuzz/corpus/<target>/pebble-<hash>.
//
//   build/debug/tests/fuzz/capture/capture_pebble_corpus tests/fuzz/corpus
//
// Re-run it when Pebble or the client changes; the seeds are kept in the tree.
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>

#include "acme/client.h"
#include "common/clock.h"
#include "crypto/key.h"
#include "harness/pebble_server.h"
#include "net/curl/curl_transport.h"
#include "solver/http01_responder.h"

namespace certfleet {
namespace {

namespace fs = std::filesystem;

// Writes each seed once (named by its content's hash) under corpus/<target>/.
class SeedWriter {
 public:
  explicit SeedWriter(fs::path corpus) : corpus_(std::move(corpus)) {}
  void Write(const std::string& target, const std::string& content) {
    const fs::path dir = corpus_ / target;
    fs::create_directories(dir);
    char name[32];
    std::snprintf(name, sizeof name, "pebble-%016zx", std::hash<std::string>{}(content));
    if (fs::exists(dir / name)) return;
    std::ofstream(dir / name, std::ios::binary) << content;
    ++written_;
  }
  int written() const { return written_; }

 private:
  fs::path corpus_;
  int written_ = 0;
};

// Sorts a response body into the fuzz target that parses that kind of document.
void Classify(SeedWriter& seeds, const net::HttpResponse& response) {
  const std::string type = response.headers.Get("Content-Type").value_or("");
  if (auto retry = response.headers.Get("Retry-After")) seeds.Write("http_headers_fuzz", *retry);
  auto links = response.headers.GetAll("Link");
  if (!links.empty()) {
    std::string seed = "alternate";
    for (const auto& link : links) seed += "\n" + link;
    seeds.Write("http_headers_fuzz", seed);
  }
  if (type.find("pem-certificate-chain") != std::string::npos) {
    seeds.Write("x509_fuzz", response.body);
    seeds.Write("pem_fuzz", response.body);
    return;
  }
  const auto json = nlohmann::json::parse(response.body, nullptr, false);
  if (!json.is_object()) return;
  if (type.find("problem+json") != std::string::npos) {
    // One seed per problem type (badNonce alone comes back dozens of times).
    static std::set<std::string> types;
    if (!types.insert(json.value("type", "")).second) return;
    const char status = static_cast<char>((response.status - 400 + 200) % 200);
    seeds.Write("acme_problem_fuzz", std::string(1, status) + response.body);
  } else if (json.contains("newNonce")) {
    seeds.Write("acme_directory_fuzz", response.body);
  } else if (json.contains("identifiers") && json.contains("finalize")) {
    seeds.Write("acme_order_fuzz", response.body);
  } else if (json.contains("identifier") && json.contains("challenges")) {
    seeds.Write("acme_authorization_fuzz", response.body);
  } else if (json.contains("status") && (json.contains("contact") || json.contains("orders"))) {
    seeds.Write("acme_account_fuzz", response.body);
  }
}

class RecordingTransport final : public net::HttpTransport {
 public:
  RecordingTransport(net::HttpTransport& inner, SeedWriter& seeds) : inner_(inner), seeds_(seeds) {}
  Result<net::HttpResponse> Send(const net::HttpRequest& request) override {
    // Our own JWS requests (flattened JSON, RFC 7515 §7.2.2) are seeds for the JWS/JWK parser.
    if (request.method == "POST" && jws_seeds_++ < 12) seeds_.Write("jws_fuzz", request.body);
    auto response = inner_.Send(request);
    if (response) Classify(seeds_, *response);
    return response;
  }

 private:
  net::HttpTransport& inner_;
  SeedWriter& seeds_;
  int jws_seeds_ = 0;
};

// A solver that presents nothing: Pebble's validation fails (an invalid authorization
// with its problem document).
class SilentSolver final : public acme::ChallengeSolver {
 public:
  std::string_view Type() const override { return "http-01"; }
  Status Present(const acme::ChallengeTask&) override { return Ok(); }
  Status CleanUp(const acme::ChallengeTask&) override { return Ok(); }
};

Status Capture(const fs::path& corpus) {
  SeedWriter seeds(corpus);
  auto solver = solver::StandaloneHttp01Solver::Start("127.0.0.1:0");
  if (!solver) return Fail(solver.error());
  auto pebble = harness::PebbleServer::Start({.http_port = (*solver)->port(),
                                              .nonce_reject_percent = 30,
                                              .chain_length = 2,
                                              .alternate_roots = 1});
  if (!pebble) return Fail(pebble.error());
  auto curl = net::CurlTransport::Create({.ca_file = (*pebble)->CaFile()});
  if (!curl) return Fail(curl.error());
  RecordingTransport transport(**curl, seeds);
  auto client = acme::Client::Open(transport, SystemClock::Instance(), (*pebble)->DirectoryUrl());
  if (!client) return Fail(client.error());
  for (auto type : {crypto::KeyType::kEcP256, crypto::KeyType::kRsa2048}) {
    auto key = crypto::PrivateKey::Generate(type);
    if (!key) return Fail(key.error());
    auto account = (*client)->RegisterAccount(*key, {.contact = {"mailto:ops@example.com"}});
    if (!account) return Fail(account.error());
    acme::Signer signer{*key, account->url};
    auto issued = (*client)->ObtainCertificate(
        signer, {.names = {"shop.test", "www.shop.test"}, .solvers = {solver->get()}});
    if (!issued) return Fail(issued.error());
    SilentSolver silent;
    auto failed =
        (*client)->ObtainCertificate(signer, {.names = {"nobody.test"}, .solvers = {&silent}});
    if (failed) return Fail(ErrorCode::kInternal, "a silent solver was validated");
    auto rejected = (*client)->ObtainCertificate(
        signer, {.names = {"bad..name.test"}, .solvers = {solver->get()}});
    if (rejected) return Fail(ErrorCode::kInternal, "Pebble accepted bad..name.test");
  }
  std::cout << "capture: " << seeds.written() << " new seeds under " << corpus << "\n";
  return Ok();
}

}  // namespace
}  // namespace certfleet

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: capture_pebble_corpus CORPUS_DIR (tests/fuzz/corpus)\n";
    return 2;
  }
  auto done = certfleet::Capture(argv[1]);
  if (!done) {
    std::cerr << "capture: " << done.error().message << "\n";
    return 1;
  }
  return 0;
}
