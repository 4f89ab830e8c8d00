#include "notify_smtp_sink.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>

#include "common/encoding.h"

namespace certfleet::notify::testing {
namespace {

// Reads one CRLF-terminated line (without CRLF); false on EOF/error.
bool ReadLine(int fd, std::string& buffer, std::string& line) {
  for (;;) {
    if (auto pos = buffer.find("\r\n"); pos != std::string::npos) {
      line = buffer.substr(0, pos);
      buffer.erase(0, pos + 2);
      return true;
    }
    char chunk[4096];
    ssize_t n = ::recv(fd, chunk, sizeof(chunk), 0);
    if (n <= 0) return false;
    buffer.append(chunk, static_cast<std::size_t>(n));
  }
}

void Say(int fd, const std::string& text) {
  std::string out = text + "\r\n";
  (void)::send(fd, out.data(), out.size(), MSG_NOSIGNAL);
}

bool StartsWithNoCase(const std::string& line, const std::string& prefix) {
  if (line.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(line[i])) != prefix[i]) return false;
  }
  return true;
}

}  // namespace

SmtpSink::SmtpSink() {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  if (listen_fd_ < 0 || ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), len) != 0 ||
      ::listen(listen_fd_, 8) != 0 ||
      ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    throw std::runtime_error("SmtpSink: cannot listen on 127.0.0.1");
  }
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] { Serve(); });
}

SmtpSink::~SmtpSink() {
  ::shutdown(listen_fd_, SHUT_RDWR);  // wakes accept()
  if (thread_.joinable()) thread_.join();
  ::close(listen_fd_);
}

void SmtpSink::Serve() {
  for (;;) {
    int fd = ::accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) return;
    Converse(fd);
    ::close(fd);
  }
}

void SmtpSink::Converse(int fd) {
  std::string buffer, line;
  ReceivedMail mail;
  Say(fd, "220 sink.test ESMTP");
  while (ReadLine(fd, buffer, line)) {
    if (StartsWithNoCase(line, "EHLO")) {
      Say(fd, "250-sink.test");
      Say(fd, "250 AUTH PLAIN");
    } else if (StartsWithNoCase(line, "AUTH PLAIN")) {
      std::string encoded = line.size() > 11 ? line.substr(11) : "";
      if (encoded.empty()) {
        Say(fd, "334 ");
        if (!ReadLine(fd, buffer, encoded)) return;
      }
      mail.auth_plain = Base64Decode(encoded).value_or("?");
      Say(fd, "235 2.7.0 Authentication successful");
    } else if (StartsWithNoCase(line, "MAIL FROM:")) {
      mail.from = line.substr(10);
      if (auto sp = mail.from.find(' '); sp != std::string::npos) mail.from.resize(sp);
      Say(fd, "250 2.1.0 Ok");
    } else if (StartsWithNoCase(line, "RCPT TO:")) {
      mail.recipients.push_back(line.substr(8));
      Say(fd, "250 2.1.5 Ok");
    } else if (StartsWithNoCase(line, "DATA")) {
      Say(fd, "354 End data with <CR><LF>.<CR><LF>");
      while (ReadLine(fd, buffer, line) && line != ".") mail.data += line + "\r\n";
      {
        std::lock_guard lock(mu_);
        mails_.push_back(mail);
      }
      cv_.notify_all();
      mail = ReceivedMail{.auth_plain = mail.auth_plain};
      Say(fd, "250 2.0.0 Ok: queued");
    } else if (StartsWithNoCase(line, "QUIT")) {
      Say(fd, "221 2.0.0 Bye");
      return;
    } else {
      Say(fd, "250 Ok");  // RSET, NOOP, ...
    }
  }
}

std::vector<ReceivedMail> SmtpSink::mails() const {
  std::lock_guard lock(mu_);
  return mails_;
}

bool SmtpSink::WaitForMails(std::size_t count, int timeout_ms) const {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms),
                      [&] { return mails_.size() >= count; });
}

}  // namespace certfleet::notify::testing
