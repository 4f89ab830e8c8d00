#include "notify/smtp/smtp_notifier.h"

#include <curl/curl.h>

#include <cstring>
#include <memory>

#include "notify/smtp/email.h"

namespace certfleet::notify {
namespace {

struct Upload {
  std::string data;
  std::size_t offset = 0;
};

extern "C" std::size_t ReadUpload(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  std::size_t n = std::min(size * count, upload->data.size() - upload->offset);
  std::memcpy(buffer, upload->data.data() + upload->offset, n);
  upload->offset += n;
  return n;
}

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

ErrorCode CodeFor(CURLcode rc, long smtp_code) {
  switch (rc) {
    case CURLE_OPERATION_TIMEDOUT:
      return ErrorCode::kDeadlineExceeded;
    case CURLE_LOGIN_DENIED:
      return ErrorCode::kUnauthenticated;
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return ErrorCode::kInvalidArgument;
    default:
      break;
  }
  // 5xx replies to MAIL FROM / RCPT TO: the server will not take this mail as configured.
  if (smtp_code >= 500 && smtp_code < 600) return ErrorCode::kInvalidArgument;
  return ErrorCode::kUnavailable;
}

long Millis(Duration d) { return static_cast<long>(d.count()); }

}  // namespace

SmtpNotifier::SmtpNotifier(ChannelConfig channel) : channel_(std::move(channel)) {}

std::string SmtpNotifier::ServerUrl() const {
  const SmtpSettings& s = channel_.smtp;
  const bool implicit_tls = s.security == SmtpSecurity::kTls;
  int port = s.port != 0 ? s.port : (implicit_tls ? 465 : 587);
  return std::string(implicit_tls ? "smtps://" : "smtp://") + s.server + ":" + std::to_string(port);
}

Status SmtpNotifier::Deliver(const Message& message) {
  const SmtpSettings& s = channel_.smtp;
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) return Fail(ErrorCode::kInternal, "notify channel " + channel_.name + ": curl init");
  Upload upload{ComposeEmail(s, message)};
  std::unique_ptr<curl_slist, SlistDeleter> rcpt;
  for (const auto& to : s.to)
    rcpt.reset(curl_slist_append(rcpt.release(), ("<" + to + ">").c_str()));
  const std::string url = ServerUrl();
  const std::string from = "<" + s.from + ">";
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt.get());
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_READFUNCTION, ReadUpload);
  curl_easy_setopt(c, CURLOPT_READDATA, &upload);
  curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(upload.data.size()));
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, Millis(channel_.timeout));
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, Millis(channel_.timeout));
  if (s.security == SmtpSecurity::kStartTls)
    curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
  if (!channel_.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, channel_.ca_file.c_str());
  if (!s.user.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, s.user.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, s.password.c_str());
  }
  char error_buffer[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error_buffer);
  CURLcode rc = curl_easy_perform(c);
  if (rc == CURLE_OK) return Ok();
  long smtp_code = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &smtp_code);
  std::string detail = error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(rc);
  return Fail(CodeFor(rc, smtp_code),
              "notify channel " + channel_.name + ": sending mail via " + url + ": " + detail +
                  (smtp_code != 0 ? " (SMTP " + std::to_string(smtp_code) + ")" : ""));
}

}  // namespace certfleet::notify
