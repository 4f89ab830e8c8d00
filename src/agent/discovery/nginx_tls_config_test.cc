#include "agent/discovery/nginx_tls_config.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "agent/discovery/probe_plan.h"

namespace certfleet::agent::discovery {
namespace {

// An `nginx -T` output: each file after its header, one extra line feed after each.
std::string Dump(const std::vector<std::pair<std::string, std::string>>& files) {
  std::string out;
  for (const auto& [path, text] : files)
    out += "# configuration file " + path + ":\n" + text + "\n";
  return out;
}

NginxTlsConfig FromDump(const std::string& dump) {
  auto files = DumpedConfigFiles::Parse(dump);
  EXPECT_TRUE(files) << files.error().message;
  if (!files) return {};
  auto config = ReadTlsConfig(*files);
  EXPECT_TRUE(config) << config.error().message;
  return config ? *config : NginxTlsConfig{};
}

const std::string kMain =
    "events {}\n"
    "http {\n"
    "  include sites/*.conf;\n"
    "  include /etc/nginx/conf.d/plain.conf;\n"
    "}\n";

TEST(DumpedConfigFiles, SplitsFilesAndKeepsTheirText) {
  auto files =
      DumpedConfigFiles::Parse(Dump({{"/etc/nginx/nginx.conf", "a;\n"}, {"/x.conf", "b;\n\n"}}));
  ASSERT_TRUE(files) << files.error().message;
  EXPECT_EQ(files->MainFile(), "/etc/nginx/nginx.conf");
  EXPECT_EQ(files->Read("/etc/nginx/nginx.conf").value(), "a;\n");
  EXPECT_EQ(files->Read("/x.conf").value(), "b;\n\n");
  EXPECT_FALSE(files->Read("/y.conf"));
  EXPECT_FALSE(DumpedConfigFiles::Parse("nginx: [emerg] no such file\n"));
}

TEST(NginxTlsConfig, FindsServersThroughIncludesWithPathsAndLines) {
  const auto config = FromDump(
      Dump({{"/etc/nginx/nginx.conf", kMain},
            {"/etc/nginx/sites/shop.conf",
             "server {\n  listen 443 ssl;\n  server_name shop.test www.shop.test;\n"
             "  ssl_certificate /etc/ssl/shop.crt;\n  ssl_certificate_key /etc/ssl/shop.key;\n}\n"},
            {"/etc/nginx/sites/vars.conf",
             "server {\n  listen 443 ssl;\n  server_name *.vars.test;\n"
             "  ssl_certificate /certs/$ssl_server_name.crt;\n"
             "  ssl_certificate_key certs/$ssl_server_name.key;\n}\n"},
            {"/etc/nginx/conf.d/plain.conf", "server { listen 80; server_name plain.test; }\n"}}));
  EXPECT_TRUE(config.problems.empty());
  ASSERT_EQ(config.servers.size(), 2u) << "the plain-HTTP server is not reported";
  const TlsServer& shop = config.servers[0];
  EXPECT_EQ(shop.file, "/etc/nginx/sites/shop.conf");
  EXPECT_EQ(shop.line, 1);
  EXPECT_TRUE(shop.tls);
  EXPECT_EQ(shop.server_names, (std::vector<std::string>{"shop.test", "www.shop.test"}));
  ASSERT_EQ(shop.certificates.size(), 1u);
  EXPECT_EQ(shop.certificates[0].certificate.path, "/etc/ssl/shop.crt");
  EXPECT_EQ(shop.certificates[0].certificate.line, 4);
  EXPECT_EQ(shop.certificates[0].key.path, "/etc/ssl/shop.key");
  const auto& vars = config.servers[1].certificates.at(0);
  EXPECT_EQ(vars.certificate.kind, PathKind::kVariable);
  EXPECT_EQ(vars.certificate.path, "/certs/$ssl_server_name.crt") << "not guessed";
  EXPECT_EQ(vars.key.kind, PathKind::kVariable);
}

TEST(NginxTlsConfig, InheritsHttpLevelPairsAndPairsByPosition) {
  const auto config =
      FromDump(Dump({{"/etc/nginx/nginx.conf",
                      "http {\n  ssl_certificate default.crt;\n  ssl_certificate_key default.key;\n"
                      "  server { listen 443 ssl; server_name a.test; }\n"
                      "  server { listen 443; server_name b.test;\n"
                      "    ssl_certificate /rsa.crt; ssl_certificate_key /rsa.key;\n"
                      "    ssl_certificate /ec.crt; ssl_certificate_key /ec.key;\n"
                      "    ssl_certificate /lonely.crt; }\n"
                      "  server { listen 80; server_name plain.test; }\n}\n"}}));
  ASSERT_EQ(config.servers.size(), 2u);
  const auto& a = config.servers[0];
  ASSERT_EQ(a.certificates.size(), 1u);
  EXPECT_TRUE(a.certificates[0].inherited);
  EXPECT_EQ(a.certificates[0].certificate.path, "/etc/nginx/default.crt")
      << "relative paths start at the main file's directory";
  const auto& b = config.servers[1];
  EXPECT_TRUE(b.tls) << "a.test's listen 443 ssl makes the socket TLS for b.test too";
  ASSERT_EQ(b.certificates.size(), 3u);
  EXPECT_EQ(b.certificates[1].key.path, "/ec.key");
  EXPECT_TRUE(b.certificates[2].key.written.empty());
}

TEST(NginxTlsConfig, StreamServersAndInlineOrEngineFiles) {
  const auto config = FromDump(Dump({{"/n.conf",
                                      "stream { server { listen 993 ssl; ssl_certificate data:$pem;"
                                      " ssl_certificate_key engine:pkcs11:id; } }\n"}}));
  ASSERT_EQ(config.servers.size(), 1u);
  EXPECT_EQ(config.servers[0].context, "stream");
  EXPECT_EQ(config.servers[0].certificates[0].certificate.kind, PathKind::kInline);
  EXPECT_EQ(config.servers[0].certificates[0].key.kind, PathKind::kEngine);
}

TEST(NginxTlsConfig, ReportsWhatCannotBeReadAndKeepsTheRest) {
  const auto config = FromDump(
      Dump({{"/etc/nginx/nginx.conf",
             "http {\n include /etc/nginx/broken.conf;\n"
             " server { listen 443 ssl; listen x:y; server_name ok.test; ssl_certificate /a; "
             "ssl_certificate_key /b; }\n}\n"},
            {"/etc/nginx/broken.conf", "server {\n"}}));
  ASSERT_EQ(config.servers.size(), 1u);
  ASSERT_EQ(config.problems.size(), 2u);
  EXPECT_NE(
      config.problems[0].find("include /etc/nginx/broken.conf at /etc/nginx/nginx.conf line 2"),
      std::string::npos)
      << config.problems[0];
  EXPECT_NE(config.problems[1].find("\"y\" is not a port"), std::string::npos)
      << config.problems[1];
}

TEST(NginxTlsConfig, StopsIncludeLoops) {
  const auto config = FromDump(Dump({{"/n.conf", "include /n.conf;\n"}}));
  ASSERT_FALSE(config.problems.empty());
  EXPECT_NE(config.problems[0].find("nested deeper than"), std::string::npos);
}

TEST(DiskConfigFiles, ReadsTheSameConfigurationFromDisk) {
  const auto dir = std::filesystem::temp_directory_path() / "certfleet-discovery-disk";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir / "sites");
  std::ofstream(dir / "nginx.conf") << "http { include sites/*.conf; }\n";
  std::ofstream(dir / "sites/b.conf") << "server { listen 443 ssl; server_name b.test; }\n";
  std::ofstream(dir / "sites/a.conf") << "server { listen 443 ssl; server_name a.test; }\n";
  DiskConfigFiles disk((dir / "nginx.conf").string());
  auto config = ReadTlsConfig(disk);
  ASSERT_TRUE(config) << config.error().message;
  ASSERT_EQ(config->servers.size(), 2u);
  EXPECT_EQ(config->servers[0].server_names[0], "a.test") << "glob order, as nginx includes";
  DiskConfigFiles missing((dir / "none.conf").string());
  EXPECT_EQ(ReadTlsConfig(missing).error().code, ErrorCode::kNotFound);
  std::filesystem::remove_all(dir);
}

TEST(PlanProbes, EveryNameOnEveryTlsListenerOnce) {
  const auto config = FromDump(Dump(
      {{"/n.conf",
        "http {\n"
        " server { listen 80; listen 443 ssl; listen [::]:443 ssl; server_name a.test *.w.test _; "
        "ssl_certificate /a; ssl_certificate_key /a; }\n"
        " server { listen 443 ssl; server_name a.test; ssl_certificate /a; ssl_certificate_key /a; "
        "}\n"
        "}\n"}}));
  const auto targets = PlanProbes(config, 100);
  ASSERT_EQ(targets.size(), 4u);
  EXPECT_EQ(targets[0].name, "a.test");
  EXPECT_EQ(targets[0].address, "127.0.0.1:443");
  EXPECT_EQ(targets[1].address, "[::1]:443");
  EXPECT_EQ(targets[2].name, "certfleet-probe.w.test");
  EXPECT_EQ(targets[2].server_name, "*.w.test");
  EXPECT_EQ(PlanProbes(config, 1).size(), 1u);
}

}  // namespace
}  // namespace certfleet::agent::discovery
