#include "agent/discovery/listen.h"

#include <gtest/gtest.h>

#include "agent/discovery/probe_plan.h"

namespace certfleet::agent::discovery {
namespace {

Listen ParsedListen(std::vector<std::string> args) {
  auto l = ParseListen(args);
  EXPECT_TRUE(l) << l.error().message;
  return l ? *l : Listen{};
}

TEST(Listen, AddressFormsAndWhereToProbeThem) {
  EXPECT_EQ(ProbeAddress(ParsedListen({"443", "ssl"})), "127.0.0.1:443");
  EXPECT_EQ(ProbeAddress(ParsedListen({"*:8443", "ssl"})), "127.0.0.1:8443");
  EXPECT_EQ(ProbeAddress(ParsedListen({"0.0.0.0:443"})), "127.0.0.1:443");
  EXPECT_EQ(ProbeAddress(ParsedListen({"[::]:443", "ssl", "http2"})), "[::1]:443");
  EXPECT_EQ(ProbeAddress(ParsedListen({"192.0.2.7:8443", "ssl"})), "192.0.2.7:8443");
  EXPECT_EQ(ProbeAddress(ParsedListen({"localhost"})), "localhost:80");
  EXPECT_EQ(ProbeAddress(ParsedListen({"unix:/run/x.sock", "ssl"})), std::nullopt);
  EXPECT_EQ(ProbeAddress(ParsedListen({"443", "quic"})), std::nullopt);
  EXPECT_EQ(ProbeAddress(ParsedListen({"443", "ssl", "proxy_protocol"})), std::nullopt);
}

TEST(Listen, SameSocketSameEndpoint) {
  EXPECT_EQ(ParsedListen({"443"}).Endpoint(), ParsedListen({"*:443", "ssl"}).Endpoint());
  EXPECT_EQ(ParsedListen({"0.0.0.0:443"}).Endpoint(), "*:443");
  EXPECT_TRUE(ParsedListen({"443", "ssl"}).ssl);
  EXPECT_EQ(ParsedListen({"443", "ssl", "http2"}).text, "443 ssl http2");
}

TEST(Listen, RefusesBadPorts) {
  EXPECT_FALSE(ParseListen({"70000"}));
  EXPECT_FALSE(ParseListen({"127.0.0.1:x"}));
  EXPECT_FALSE(ParseListen({"[::1"}));
  EXPECT_FALSE(ParseListen({}));
}

TEST(SniFor, NamesAClientCanSend) {
  EXPECT_EQ(SniFor("Shop.Example.COM"), "shop.example.com");
  EXPECT_EQ(SniFor("*.example.com"), "certfleet-probe.example.com");
  EXPECT_EQ(SniFor(".example.com"), "example.com");
  EXPECT_EQ(SniFor("~^www\\d+\\.test$"), std::nullopt);
  EXPECT_EQ(SniFor("_"), std::nullopt);
  EXPECT_EQ(SniFor(""), std::nullopt);
  EXPECT_EQ(SniFor("www.example.*"), std::nullopt);
  EXPECT_EQ(SniFor("$hostname"), std::nullopt);
}

}  // namespace
}  // namespace certfleet::agent::discovery
