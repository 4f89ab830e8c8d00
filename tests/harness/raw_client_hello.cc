#include "harness/raw_client_hello.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <vector>

namespace certfleet::harness {
namespace {

using Bytes = std::vector<std::uint8_t>;

void U16(Bytes& b, size_t v) {
  b.push_back(static_cast<std::uint8_t>(v >> 8));
  b.push_back(static_cast<std::uint8_t>(v));
}

// One extension: type, length, data.
void Extension(Bytes& out, std::uint16_t type, const Bytes& data) {
  U16(out, type);
  U16(out, data.size());
  out.insert(out.end(), data.begin(), data.end());
}

Bytes ClientHello(const std::string& name) {
  Bytes sni;
  U16(sni, name.size() + 3);  // server_name_list
  sni.push_back(0);           // host_name
  U16(sni, name.size());
  sni.insert(sni.end(), name.begin(), name.end());
  Bytes extensions;
  Extension(extensions, 0x0000, sni);
  Extension(extensions, 0x000a, {0x00, 0x02, 0x00, 0x17});  // supported_groups: P-256
  Extension(extensions, 0x000b, {0x01, 0x00});              // ec_point_formats: uncompressed
  Extension(extensions, 0x000d, {0x00, 0x04, 0x04, 0x03, 0x04, 0x01});  // ecdsa/rsa sha256
  Bytes body = {0x03, 0x03};                                            // TLS 1.2
  for (int i = 0; i < 32; ++i) body.push_back(static_cast<std::uint8_t>(i * 7));  // random
  body.push_back(0);                                                              // no session id
  U16(body, 4);
  body.insert(body.end(), {0xc0, 0x2b, 0xc0, 0x2f});  // ECDHE-{ECDSA,RSA}-AES128-GCM-SHA256
  body.insert(body.end(), {0x01, 0x00});              // no compression
  U16(body, extensions.size());
  body.insert(body.end(), extensions.begin(), extensions.end());
  Bytes record = {0x16, 0x03, 0x01};
  U16(record, body.size() + 4);
  record.push_back(0x01);  // ClientHello
  record.push_back(static_cast<std::uint8_t>(body.size() >> 16));
  U16(record, body.size() & 0xffff);
  record.insert(record.end(), body.begin(), body.end());
  return record;
}

}  // namespace

Result<HelloAnswer> SendClientHello(std::uint16_t port, const std::string& server_name) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Fail(ErrorCode::kIo, "socket failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return Fail(ErrorCode::kUnavailable, "cannot connect to port " + std::to_string(port));
  }
  const Bytes hello = ClientHello(server_name);
  if (::send(fd, hello.data(), hello.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(hello.size())) {
    ::close(fd);
    return Fail(ErrorCode::kIo, "cannot send the ClientHello");
  }
  HelloAnswer answer;
  std::uint8_t head[6] = {};
  size_t got = 0;
  while (got < sizeof head) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 2000) != 1) break;
    const ssize_t n = ::recv(fd, head + got, sizeof head - got, 0);
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  ::close(fd);
  if (got >= 6 && head[0] == 0x16 && head[5] == 0x02) answer.server_hello = true;
  if (got >= 1 && head[0] == 0x15) answer.alert = true;
  return answer;
}

}  // namespace certfleet::harness
