#include "http/response_head.h"

#include <gtest/gtest.h>

namespace certfleet::http {
namespace {

std::string Head(const Response& r, bool keep_alive = true, unsigned version = 11) {
  std::string out;
  AppendResponseHead(r, keep_alive, version, out);
  return out;
}

TEST(ResponseHead, TextAnswerHasStatusLineFieldsAndLength) {
  EXPECT_EQ(
      Head(Response::Text("tok.thumb")),
      "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 9\r\n\r\n");
}

TEST(ResponseHead, ClosingHttp11SaysConnectionClose) {
  EXPECT_NE(Head(Response::Text("x", 404), false).find("HTTP/1.1 404 Not Found\r\n"),
            std::string::npos);
  EXPECT_NE(Head(Response::Text("x"), false).find("\r\nConnection: close\r\n"), std::string::npos);
}

TEST(ResponseHead, KeptHttp10SaysKeepAlive) {
  const std::string head = Head(Response::Text("x"), true, 10);
  EXPECT_EQ(head.rfind("HTTP/1.0 200 OK\r\n", 0), 0u) << head;
  EXPECT_NE(head.find("\r\nConnection: keep-alive\r\n"), std::string::npos) << head;
}

TEST(ResponseHead, NoContentHasNoLength) {
  EXPECT_EQ(Head(Response::NoContent()).find("Content-Length"), std::string::npos);
}

TEST(ResponseHead, ServerOwnsTheFramingFields) {
  Response r = Response::Text("four");
  r.headers.Add("Content-Length", "999");
  r.headers.Add("Connection", "upgrade");
  r.headers.Add("Transfer-Encoding", "chunked");
  const std::string head = Head(r);
  EXPECT_NE(head.find("Content-Length: 4\r\n"), std::string::npos) << head;
  EXPECT_EQ(head.find("999"), std::string::npos)
      << "a handler's Content-Length would break framing";
  EXPECT_EQ(head.find("upgrade"), std::string::npos) << head;
  EXPECT_EQ(head.find("chunked"), std::string::npos) << head;
}

TEST(ResponseHead, FieldsWithLineBreaksAreDroppedNotInjected) {
  Response r = Response::Text("x");
  r.headers.Add("Location", "/a\r\nSet-Cookie: evil=1");
  r.headers.Add("X-Ok", "fine");
  const std::string head = Head(r);
  EXPECT_EQ(head.find("evil"), std::string::npos) << "header injection: " << head;
  EXPECT_NE(head.find("X-Ok: fine\r\n"), std::string::npos) << head;
}

TEST(ResponseHead, OutOfRangeStatusIsSentAs500) {
  EXPECT_EQ(Head(Response::Text("x", 42)).rfind("HTTP/1.1 500 ", 0), 0u);
}

}  // namespace
}  // namespace certfleet::http
