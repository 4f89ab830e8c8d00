#include "issuance/acme_metrics.h"

#include <algorithm>
#include <map>
#include <mutex>
#include <tuple>

namespace certfleet::issuance {
namespace {

struct Table {
  std::mutex mu;
  std::map<AcmeRequestKey, AcmeRequestStats> rows;
};

Table& Instance() {
  static Table* table = new Table();  // never destroyed: worker threads may record at exit
  return *table;
}

// A segment that names one object rather than a resource type: long, starting with a digit, or
// with a digit but no hyphen. Resource types are words joined by hyphens and may end in a version
// ("chall-v3", "authz-v3" at Let's Encrypt); ids are numbers or random base64url/hex.
bool IsVariableSegment(std::string_view segment) {
  if (segment.size() > 20) return true;
  const auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  if (!segment.empty() && is_digit(segment.front())) return true;
  const bool has_digit = std::any_of(segment.begin(), segment.end(), is_digit);
  return has_digit && segment.find('-') == std::string_view::npos;
}

// Splits "https://host:port/path?query" into scheme, host (with port) and path.
void SplitUrl(std::string_view url, AcmeRequestKey& key) {
  const std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) {
    key.path = AcmePathLabel(url);
    return;
  }
  key.scheme = std::string(url.substr(0, scheme_end));
  const std::string_view rest = url.substr(scheme_end + 3);
  const std::size_t slash = rest.find_first_of("/?#");
  key.host = std::string(rest.substr(0, slash));
  key.path = AcmePathLabel(slash == std::string_view::npos ? "/" : rest.substr(slash));
}

class MeasuredTransport final : public net::HttpTransport {
 public:
  explicit MeasuredTransport(std::unique_ptr<net::HttpTransport> inner)
      : inner_(std::move(inner)) {}

  Result<net::HttpResponse> Send(const net::HttpRequest& request) override {
    const auto start = std::chrono::steady_clock::now();
    auto response = inner_->Send(request);
    RecordAcmeRequest(request, response ? response->status : 0,
                      std::chrono::steady_clock::now() - start);
    return response;
  }

 private:
  std::unique_ptr<net::HttpTransport> inner_;
};

}  // namespace

bool AcmeRequestKey::operator<(const AcmeRequestKey& o) const {
  return std::tie(scheme, host, path, method, status) <
         std::tie(o.scheme, o.host, o.path, o.method, o.status);
}

std::string AcmePathLabel(std::string_view url_path) {
  url_path = url_path.substr(0, url_path.find_first_of("?#"));
  std::string label;
  std::size_t at = 0;
  while (at < url_path.size()) {
    if (url_path[at] == '/') {
      label += '/';
      ++at;
      continue;
    }
    const std::size_t end = std::min(url_path.find('/', at), url_path.size());
    const std::string_view segment = url_path.substr(at, end - at);
    if (IsVariableSegment(segment)) return label + "*";
    label += segment;
    at = end;
  }
  return label.empty() ? "/" : label;
}

void RecordAcmeRequest(const net::HttpRequest& request, int status,
                       std::chrono::steady_clock::duration took) {
  AcmeRequestKey key;
  SplitUrl(request.url, key);
  key.method = request.method;
  key.status = status > 0 ? std::to_string(status) : "error";
  Table& table = Instance();
  std::lock_guard lock(table.mu);
  AcmeRequestStats& row = table.rows[key];
  if (row.count == 0) row.key = key;
  ++row.count;
  row.seconds += std::chrono::duration<double>(took).count();
}

std::vector<AcmeRequestStats> AcmeRequestTable() {
  Table& table = Instance();
  std::lock_guard lock(table.mu);
  std::vector<AcmeRequestStats> rows;
  rows.reserve(table.rows.size());
  for (const auto& [key, stats] : table.rows) rows.push_back(stats);
  return rows;
}

std::unique_ptr<net::HttpTransport> MeasureAcmeRequests(std::unique_ptr<net::HttpTransport> inner) {
  return std::make_unique<MeasuredTransport>(std::move(inner));
}

}  // namespace certfleet::issuance
