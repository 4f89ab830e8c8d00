// The agent endpoints' JSON written as text (hub/api/agent_json.h, json_text.h) is the same
// bytes nlohmann writes for the same value: agents and tests that parse these answers see no
// difference, whatever the strings hold.
#include "hub/api/agent_json.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "hub/api/json_model.h"
#include "hub/api/json_text.h"
#include "store/testing/memory_store.h"

namespace certfleet::hub::api {
namespace {

using nlohmann::json;

std::string Dumped(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

// Quotes, backslashes, every control character, DEL, multi-byte UTF-8, invalid UTF-8.
std::vector<std::string> TrickyStrings() {
  std::string controls;
  for (char c = 0; c < 0x20; ++c) controls += c;
  return {"",
          "plain.example.com",
          "quote \" and backslash \\ and slash /",
          controls,
          "del \x7f",
          "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\x92",
          "bad \xff byte",
          "cut \xe2\x82",
          "overlong \xc0\xaf",
          "surrogate \xed\xa0\x80"};
}

TEST(JsonTextTest, StringsAreEscapedExactlyAsNlohmannDoes) {
  for (const auto& s : TrickyStrings()) {
    std::string out;
    AppendJsonString(s, out);
    EXPECT_EQ(out, Dumped(json(s)))
        << "input: " << json(s).dump(-1, ' ', true, json::error_handler_t::replace);
  }
}

TEST(JsonTextTest, NestedContainersGetTheirCommas) {
  JsonText out;
  out.BeginObject()
      .Key("a")
      .BeginArray()
      .EndArray()
      .Key("b")
      .BeginArray()
      .Int(1)
      .Null()
      .BeginObject()
      .EndObject()
      .Strings({"x", "y"})
      .EndArray()
      .Key("c")
      .Int(-9223372036854775807 - 1)
      .EndObject();
  EXPECT_EQ(out.Take(), Dumped(json{{"a", json::array()},
                                    {"b", {1, nullptr, json::object(), {"x", "y"}}},
                                    {"c", INT64_MIN}}));
}

store::DesiredState SampleDesired(const std::string& text) {
  store::DesiredState state{42, text, 9001, {}};
  state.certificates.push_back({7,
                                "a." + text,
                                {text, "www.example.com"},
                                12,
                                "ab" + text,
                                TimePoint(std::chrono::milliseconds(1'800'000'000'123))});
  state.certificates.push_back({8, text, {}, std::nullopt, "", std::nullopt});
  return state;
}

TEST(AgentJsonTest, DesiredTextIsTheDesiredJsonDumped) {
  EXPECT_EQ(DesiredText(store::DesiredState{1, "web-1", 0, {}}),
            Dumped(DesiredJson(store::DesiredState{1, "web-1", 0, {}})));
  for (const auto& s : TrickyStrings()) {
    EXPECT_EQ(DesiredText(SampleDesired(s)), Dumped(DesiredJson(SampleDesired(s))));
  }
}

store::CertificateVersion SampleCertificate(const std::string& text, bool optionals) {
  store::CertificateVersion c;
  c.id = 31;
  c.domain_id = 7;
  c.chain_pem = "-----BEGIN CERTIFICATE-----\n" + text + "\n-----END CERTIFICATE-----\n";
  c.encrypted_key = "sealed";
  c.serial = "0a0b" + text;
  c.not_before = TimePoint(std::chrono::seconds(1'800'000'000));
  c.not_after = TimePoint(std::chrono::seconds(1'807'776'000));
  c.sha256 = "cd" + text;
  c.issuer_cn = text;
  c.names = {text, "shop.example.com"};
  c.source = optionals ? store::CertificateSource::kManual : store::CertificateSource::kAcme;
  c.created_at = TimePoint(std::chrono::milliseconds(1'800'000'000'999));
  if (optionals) {
    c.ari_window_start = TimePoint(std::chrono::seconds(1'805'000'000));
    c.ari_window_end = TimePoint(std::chrono::seconds(1'805'086'400));
    c.replaces_id = 30;
  }
  return c;
}

TEST(AgentJsonTest, AgentCertificateTextIsTheCertificateJsonWithDomainAndKeyDumped) {
  for (const auto& s : TrickyStrings()) {
    for (bool optionals : {false, true}) {
      const auto c = SampleCertificate(s, optionals);
      json expected = CertificateJson(c, /*with_chain=*/true);
      expected["domain"] = "shop." + s;
      expected["key_pem"] = "-----BEGIN PRIVATE KEY-----\n" + s;
      EXPECT_EQ(AgentCertificateText(c, "shop." + s, "-----BEGIN PRIVATE KEY-----\n" + s),
                Dumped(expected));
    }
  }
}

TEST(AgentJsonTest, StoredReportTextIsTheDeploymentJsonDumped) {
  for (const auto& s : TrickyStrings()) {
    for (auto status : {store::DeploymentStatus::kDeployed, store::DeploymentStatus::kFailed}) {
      store::StoredReport r{store::Deployment{}, "web-" + s, "shop." + s};
      r.deployment.machine_id = 3;
      r.deployment.domain_id = 7;
      r.deployment.certificate_id = 31;
      r.deployment.status = status;
      r.deployment.sha256 = "ab" + s;
      r.deployment.error = s;
      r.deployment.reported_at = TimePoint(std::chrono::milliseconds(1'800'000'000'321));
      auto store = store::testing::OpenMemoryStore(store::testing::NewMemoryDatabase());
      NameCache names(*store);  // knows both names: reads nothing
      names.KnowMachine(3, r.machine);
      names.KnowDomain(7, r.domain);
      EXPECT_EQ(StoredReportText(r), Dumped(DeploymentJson(r.deployment, names)));
    }
  }
}

}  // namespace
}  // namespace certfleet::hub::api
