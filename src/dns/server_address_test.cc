#include "dns/server_address.h"

#include <gtest/gtest.h>

namespace certfleet::dns {
namespace {

TEST(ServerAddressTest, ParsesIpv4AndIpv6WithAndWithoutPort) {
  EXPECT_EQ(*ParseServerAddress("192.0.2.53"), (ServerAddress{"192.0.2.53", 53}));
  EXPECT_EQ(*ParseServerAddress("127.0.0.1:5353"), (ServerAddress{"127.0.0.1", 5353}));
  EXPECT_EQ(*ParseServerAddress("::1"), (ServerAddress{"::1", 53}));
  EXPECT_EQ(*ParseServerAddress("[2001:db8::53]:5300"), (ServerAddress{"2001:db8::53", 5300}));
  EXPECT_EQ(ParseServerAddress("[2001:db8::53]:5300")->ToString(), "[2001:db8::53]:5300");
  EXPECT_EQ(ParseServerAddress("127.0.0.1:53")->ToString(), "127.0.0.1:53");
}

TEST(ServerAddressTest, RefusesHostNamesBadPortsAndJunk) {
  for (const char* text : {"ns1.example.com", "ns1.example.com:53", "127.0.0.1:", "127.0.0.1:0",
                           "127.0.0.1:65536", "127.0.0.1:x", "[::1", "[::1]x", ""}) {
    auto parsed = ParseServerAddress(text);
    ASSERT_FALSE(parsed) << text;
    EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(parsed.error().message.find("is not a DNS server address"), std::string::npos);
  }
}

TEST(ServerAddressTest, ListenAddressesMayUsePortZero) {
  EXPECT_EQ(*ParseListenAddress("127.0.0.1:0"), (ServerAddress{"127.0.0.1", 0}));
  EXPECT_FALSE(ParseServerAddress("127.0.0.1:0"));
}

TEST(ServerAddressTest, SockaddrRoundTrip) {
  for (const ServerAddress& address :
       {ServerAddress{"127.0.0.1", 5353}, ServerAddress{"2001:db8::1", 53}}) {
    sockaddr_storage storage{};
    ToSockaddr(address, &storage);
    EXPECT_EQ(FromSockaddr(storage), address);
  }
}

}  // namespace
}  // namespace certfleet::dns
