#include "notify/smtp/email.h"

#include <ctime>

#include "common/encoding.h"

namespace certfleet::notify {
namespace {

std::string OneLine(std::string text) {
  for (char& c : text) {
    if (c == '\r' || c == '\n') c = ' ';
  }
  return text;
}

bool IsAscii(const std::string& text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

std::string EncodedSubject(const std::string& subject) {
  if (IsAscii(subject)) return subject;
  return "=?UTF-8?B?" + Base64Encode(subject) + "?=";
}

std::string CrlfText(const std::string& text) {
  std::string out;
  out.reserve(text.size() + text.size() / 32 + 2);
  for (char c : text) {
    if (c == '\r') continue;
    if (c == '\n') out += '\r';
    out += c;
  }
  return out + "\r\n";
}

std::string JoinAddresses(const std::vector<std::string>& addresses) {
  std::string out;
  for (const auto& a : addresses) out += (out.empty() ? "" : ", ") + OneLine(a);
  return out;
}

// A Message-ID local part may hold only dot-atom characters.
std::string MessageIdLocal(const std::string& id) {
  std::string out;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '.' || c == '_';
    out += ok ? c : '-';
  }
  return out.empty() ? "message" : out;
}

std::string Domain(const std::string& address) {
  auto at = address.rfind('@');
  return at == std::string::npos ? "certfleet.invalid" : OneLine(address.substr(at + 1));
}

}  // namespace

std::string Rfc5322Date(TimePoint t) {
  std::time_t seconds = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buffer[64];
  std::size_t n = std::strftime(buffer, sizeof(buffer), "%a, %d %b %Y %H:%M:%S +0000", &tm);
  return std::string(buffer, n);
}

std::string ComposeEmail(const SmtpSettings& smtp, const Message& message) {
  std::string out;
  out += "Date: " + Rfc5322Date(message.created_at) + "\r\n";
  out += "From: certfleet <" + OneLine(smtp.from) + ">\r\n";
  out += "To: " + JoinAddresses(smtp.to) + "\r\n";
  out += "Subject: " + EncodedSubject(OneLine("[certfleet] " + message.title)) + "\r\n";
  out += "Message-ID: <" + MessageIdLocal(message.id) + "@" + Domain(smtp.from) + ">\r\n";
  out += "MIME-Version: 1.0\r\n";
  out += "Content-Type: text/plain; charset=utf-8\r\n";
  out += "Content-Transfer-Encoding: 8bit\r\n";
  out += "X-Certfleet-Severity: " + std::string(SeverityName(message.severity)) + "\r\n";
  out += "\r\n";
  out += CrlfText(message.text);
  return out;
}

}  // namespace certfleet::notify
