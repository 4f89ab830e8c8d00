#include "acme/certificate.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "common/encoding.h"
#include "net/http_headers.h"

namespace certfleet::acme {
namespace {

constexpr std::string_view kPemChain = "application/pem-certificate-chain";
constexpr size_t kMaxAlternates = 10;  // a hostile CA cannot make us fetch without end

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [&](char x, char y) { return lower(x) == lower(y); });
}

Status ParseChain(DownloadedChain& chain, const std::string& url) {
  auto certificates = crypto::ParsePemChain(chain.pem);
  if (!certificates)
    return Fail(ErrorCode::kProtocol, "the certificate chain at " + url +
                                          " is not valid PEM: " + certificates.error().message);
  chain.certificates = std::move(*certificates);
  return Ok();
}

}  // namespace

Result<DownloadedChain> DownloadCertificate(Session& session, const Signer& signer,
                                            const std::string& url) {
  auto response = session.PostAsGet(signer, url, kPemChain);
  if (!response) return Fail(response.error().WithContext("downloading the certificate " + url));
  DownloadedChain chain{std::move(response->body),
                        {},
                        net::ParseLinks(response->headers.GetAll("Link"), "alternate")};
  if (chain.alternate_urls.size() > kMaxAlternates) chain.alternate_urls.resize(kMaxAlternates);
  if (auto parsed = ParseChain(chain, url); !parsed)
    return Fail(parsed.error().WithContext("downloading the certificate"));
  return chain;
}

std::string TopIssuerCommonName(const std::vector<crypto::Certificate>& chain) {
  return chain.empty() ? std::string() : chain.back().IssuerCommonName();
}

size_t ChoosePreferredChain(const std::vector<std::vector<crypto::Certificate>>& chains,
                            std::string_view preferred_issuer_cn) {
  if (preferred_issuer_cn.empty()) return 0;
  for (size_t i = 0; i < chains.size(); ++i) {
    if (EqualsIgnoreCase(TopIssuerCommonName(chains[i]), preferred_issuer_cn)) return i;
  }
  return 0;
}

Result<DownloadedChain> DownloadPreferredCertificate(Session& session, const Signer& signer,
                                                     const std::string& url,
                                                     std::string_view preferred_issuer_cn) {
  auto primary = DownloadCertificate(session, signer, url);
  if (!primary) return Fail(primary.error());
  if (preferred_issuer_cn.empty() || primary->alternate_urls.empty()) return primary;
  if (EqualsIgnoreCase(TopIssuerCommonName(primary->certificates), preferred_issuer_cn))
    return primary;
  for (const std::string& alternate_url : primary->alternate_urls) {
    auto alternate = DownloadCertificate(session, signer, alternate_url);
    if (!alternate) return Fail(alternate.error());
    if (EqualsIgnoreCase(TopIssuerCommonName(alternate->certificates), preferred_issuer_cn))
      return alternate;
  }
  return primary;  // no chain matches: the CA's default, as certbot does
}

Result<std::string> DownloadPreferredChain(Session& session, const Signer& signer,
                                           const std::string& url,
                                           std::string_view preferred_issuer_cn) {
  auto chain = DownloadPreferredCertificate(session, signer, url, preferred_issuer_cn);
  if (!chain) return Fail(chain.error());
  return std::move(chain->pem);
}

Status RevokeCertificate(Session& session, const Signer& signer, std::string_view certificate_der,
                         std::optional<RevocationReason> reason) {
  const std::string& url = session.directory().revoke_cert;
  if (url.empty())
    return Fail(ErrorCode::kInvalidArgument,
                "revoking the certificate: the CA has no revokeCert URL");
  nlohmann::json payload = {{"certificate", Base64UrlEncode(certificate_der)}};
  if (reason) payload["reason"] = static_cast<int>(*reason);
  auto response = session.Post(signer, url, payload.dump());
  if (!response) return Fail(response.error().WithContext("revoking the certificate"));
  return Ok();
}

}  // namespace certfleet::acme
