// SmtpSink: a tiny SMTP server for notify tests (Debian's smtp-sink needs postfix).
//
// Listens on 127.0.0.1:<ephemeral>, speaks enough ESMTP for libcurl (EHLO, AUTH PLAIN,
// MAIL, RCPT, DATA, RSET, NOOP, QUIT), and records every mail. No TLS (channels under
// test use smtp_security = "none"). One connection at a time.
//
// Thread safety: mails()/WaitForMails() may be called from any thread.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace certfleet::notify::testing {

struct ReceivedMail {
  std::string auth_plain;  // decoded "\0user\0password", "" without AUTH
  std::string from;        // MAIL FROM argument, e.g. "<certfleet@example.com>"
  std::vector<std::string> recipients;
  std::string data;  // the message, CRLF line endings, without the final "."
};

class SmtpSink {
 public:
  SmtpSink();   // binds and starts serving; throws std::runtime_error on failure
  ~SmtpSink();  // stops and joins
  SmtpSink(const SmtpSink&) = delete;
  SmtpSink& operator=(const SmtpSink&) = delete;

  std::uint16_t port() const { return port_; }
  std::vector<ReceivedMail> mails() const;
  // True once at least `count` mails arrived within `timeout_ms`.
  bool WaitForMails(std::size_t count, int timeout_ms) const;

 private:
  void Serve();
  void Converse(int fd);

  int listen_fd_ = -1;
  std::uint16_t port_ = 0;
  std::thread thread_;
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  std::vector<ReceivedMail> mails_;
};

}  // namespace certfleet::notify::testing
