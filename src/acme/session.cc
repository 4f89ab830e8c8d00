#include "acme/session.h"

#include <nlohmann/json.hpp>

#include "crypto/jwk.h"
#include "crypto/jws.h"
#include "net/http_headers.h"

namespace certfleet::acme {
namespace {

constexpr size_t kMaxErrorBody = 200;

// What one exchange with the CA came to: a success, or an error plus whether (and
// after how long) the request may be retried.
struct Outcome {
  Result<AcmeResponse> result;
  bool bad_nonce = false;
  std::optional<Duration> wait;  // set for rateLimited / 5xx: retry after this long
};

AcmeResponse ToAcmeResponse(net::HttpResponse response, TimePoint now) {
  AcmeResponse out;
  out.status = response.status;
  out.location = response.headers.Get("Location").value_or("");
  if (auto retry = response.headers.Get("Retry-After"))
    out.retry_after = net::ParseRetryAfter(*retry, now);
  out.headers = std::move(response.headers);
  out.body = std::move(response.body);
  return out;
}

std::string BodySnippet(const std::string& body) {
  std::string snippet = body.substr(0, kMaxErrorBody);
  for (char& c : snippet) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  return snippet;
}

// Turns a non-2xx answer into an error, with the retry decision §6.5/§6.6 call for.
Outcome ClassifyFailure(const net::HttpResponse& response, const std::string& method,
                        const std::string& url, const SessionOptions& options, TimePoint now) {
  Outcome outcome{Fail(ErrorCode::kInternal, ""), false, std::nullopt};
  std::optional<Duration> retry_after;
  if (auto header = response.headers.Get("Retry-After"))
    retry_after = net::ParseRetryAfter(*header, now);
  auto problem = ParseProblem(response.body, response.status);
  if (problem && response.status >= 400) {
    problem->retry_after = retry_after;
    outcome.result = Fail(ProblemToError(*problem));
    outcome.bad_nonce = problem->Is("badNonce");
    if (problem->Is("rateLimited") && retry_after) outcome.wait = retry_after;
  } else {
    ErrorCode code = response.status >= 500 ? ErrorCode::kUnavailable : ErrorCode::kProtocol;
    outcome.result =
        Fail(code, method + " " + url + ": unexpected HTTP status " +
                       std::to_string(response.status) + ": " + BodySnippet(response.body));
  }
  if (response.status >= 500) outcome.wait = retry_after.value_or(options.default_5xx_wait);
  return outcome;
}

Outcome Classify(net::HttpResponse response, const std::string& method, const std::string& url,
                 const SessionOptions& options, TimePoint now) {
  if (response.status >= 200 && response.status < 300) {
    return Outcome{ToAcmeResponse(std::move(response), now), false, std::nullopt};
  }
  return ClassifyFailure(response, method, url, options, now);
}

}  // namespace

Result<std::unique_ptr<Session>> Session::Open(net::HttpTransport& transport, Clock& clock,
                                               const std::string& directory_url,
                                               SessionOptions options) {
  auto directory = FetchDirectory(transport, directory_url);
  if (!directory) return Fail(directory.error());
  return std::make_unique<Session>(transport, clock, std::move(*directory), std::move(options));
}

Session::Session(net::HttpTransport& transport, Clock& clock, Directory directory,
                 SessionOptions options)
    : transport_(transport),
      clock_(clock),
      directory_(std::move(directory)),
      options_(std::move(options)),
      nonces_(transport, directory_.new_nonce) {}

Result<net::HttpRequest> Session::BuildSignedRequest(const Signer& signer, const std::string& url,
                                                     std::string_view payload,
                                                     std::string_view accept) {
  auto nonce = nonces_.Take();
  if (!nonce) return Fail(nonce.error());
  nlohmann::json header = {
      {"alg", crypto::JwsAlgorithm(signer.key.type())}, {"nonce", *nonce}, {"url", url}};
  if (signer.kid.empty()) {
    header["jwk"] = crypto::PublicJwk(signer.key);
  } else {
    header["kid"] = signer.kid;
  }
  auto jws = crypto::SignJws(signer.key, header, payload);
  if (!jws) return Fail(jws.error().WithContext("signing the request to " + url));
  net::HttpRequest request{"POST", url, {}, jws->dump()};
  request.headers.Add("Content-Type", "application/jose+json");
  if (!accept.empty()) request.headers.Add("Accept", std::string(accept));
  if (!options_.accept_language.empty())
    request.headers.Add("Accept-Language", options_.accept_language);
  return request;
}

Result<AcmeResponse> Session::Exchange(const std::function<Result<net::HttpRequest>()>& build) {
  int bad_nonce_retries = 0;
  int wait_retries = 0;
  while (true) {
    auto request = build();
    if (!request) return Fail(request.error());
    auto response = transport_.Send(*request);
    if (!response) return Fail(response.error());
    nonces_.Observe(*response);  // every response carries a fresh nonce (§7.2)
    Outcome outcome =
        Classify(std::move(*response), request->method, request->url, options_, clock_.Now());
    if (outcome.result) return std::move(outcome.result);
    if (outcome.bad_nonce && bad_nonce_retries < options_.max_bad_nonce_retries) {
      ++bad_nonce_retries;  // §6.5: retry at once; the error response held a fresh nonce
      continue;
    }
    if (outcome.wait && *outcome.wait <= options_.max_wait &&
        wait_retries < options_.max_retries_after_wait) {
      ++wait_retries;
      clock_.SleepFor(*outcome.wait);
      continue;
    }
    return std::move(outcome.result);
  }
}

Result<AcmeResponse> Session::Post(const Signer& signer, const std::string& url,
                                   std::string_view payload) {
  return Exchange([&] { return BuildSignedRequest(signer, url, payload, ""); });
}

Result<AcmeResponse> Session::PostAsGet(const Signer& signer, const std::string& url,
                                        std::string_view accept) {
  return Exchange([&] { return BuildSignedRequest(signer, url, "", accept); });
}

Result<AcmeResponse> Session::Get(const std::string& url) {
  return Exchange([&]() -> Result<net::HttpRequest> {
    return net::HttpRequest{"GET", url, {}, ""};
  });
}

}  // namespace certfleet::acme
