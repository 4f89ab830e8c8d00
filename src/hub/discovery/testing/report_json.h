// Test data: the JSON `certfleet-agent discover` sends for one nginx site, built in one place so
// the tests of the parser, the adoption plan, the API and the UI page describe the same report
// and follow its schema together.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace certfleet::hub::discovery::testing {

// A certificate or key file named by `ssl_certificate`/`ssl_certificate_key` in shop.conf.
inline nlohmann::json ReportFile(const std::string& path, int line, const std::string& sha = "",
                                 const std::string& status = "ok") {
  return {{"path", path}, {"file", "/etc/nginx/sites/shop.conf"},
          {"line", line}, {"status", status},
          {"error", ""},  {"sha256", sha}};
}

// A certificate the agent read; change single fields on the result where a test needs them.
inline nlohmann::json ReportCertificate(const std::string& sha,
                                        const std::vector<std::string>& names,
                                        const std::string& not_after = "2036-01-01T00:00:00Z") {
  return {{"sha256", sha},          {"names", names},
          {"subject", names.at(0)}, {"issuer", "CN=Bought CA,O=Example"},
          {"serial", "0a1b"},       {"not_before", "2026-01-01T00:00:00Z"},
          {"not_after", not_after}, {"key_type", "rsa-2048"},
          {"self_signed", false},   {"chain_length", 2}};
}

// A probe: what nginx served for `name` (the certificate's sha256, or "" and an error).
inline nlohmann::json ReportProbe(const std::string& name, const std::string& sha,
                                  const std::string& error = "") {
  return {{"name", name}, {"address", "127.0.0.1:443"}, {"sha256", sha}, {"error", error}};
}

struct SiteReport {
  std::vector<std::string> server_names = {"shop.test", "www.shop.test"};
  std::string sha;  // of /etc/ssl/shop.crt, named on lines 4 (certificate) and 5 (key)
  nlohmann::json certificates = nlohmann::json::array();
  nlohmann::json probes = nlohmann::json::array();
  std::string collected_at = "2026-12-06T10:00:00Z";
};

// One TLS server block in /etc/nginx/sites/shop.conf (line 1) serving /etc/ssl/shop.crt.
inline nlohmann::json ReportOfOneSite(const SiteReport& site) {
  return {{"schema", 1},
          {"collected_at", site.collected_at},
          {"source", "nginx -T"},
          {"main_file", "/etc/nginx/nginx.conf"},
          {"nginx_error", ""},
          {"output_dir", "/etc/certfleet"},
          {"servers",
           {{{"context", "http"},
             {"file", "/etc/nginx/sites/shop.conf"},
             {"line", 1},
             {"server_names", site.server_names},
             {"listens", {"443 ssl"}},
             {"tls", true},
             {"pairs",
              {{{"certificate", ReportFile("/etc/ssl/shop.crt", 4, site.sha)},
                {"key", ReportFile("/etc/ssl/shop.key", 5)},
                {"inherited", false}}}}}}},
          {"certificates", site.certificates},
          {"probes", site.probes},
          {"problems", nlohmann::json::array()}};
}

}  // namespace certfleet::hub::discovery::testing
