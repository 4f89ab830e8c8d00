#include "agent/discovery/nginx_syntax.h"

#include <optional>

namespace certfleet::agent::discovery {
namespace {

enum class TokenKind { kWord, kSemicolon, kOpen, kClose, kEnd };

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string text;
  int line = 0;
};

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// nginx's copy loop: \" \' \\ become the character, \t \r \n control characters; any other
// backslash stays (regexes such as "\d" reach nginx as written).
std::string Unescape(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '\\' && i + 1 < raw.size()) {
      const char next = raw[i + 1];
      if (next == '"' || next == '\'' || next == '\\') {
        out += next;
        ++i;
        continue;
      }
      if (next == 't' || next == 'r' || next == 'n') {
        out += next == 't' ? '\t' : next == 'r' ? '\r' : '\n';
        ++i;
        continue;
      }
    }
    out += raw[i];
  }
  return out;
}

class Tokenizer {
 public:
  Tokenizer(std::string_view text, std::string_view file) : text_(text), file_(file) {}

  Result<Token> Next() {
    SkipBlanksAndComments();
    if (pos_ >= text_.size()) return Token{TokenKind::kEnd, "", line_};
    const char c = text_[pos_];
    if (c == ';' || c == '{' || c == '}') {
      ++pos_;
      const TokenKind kind = c == ';'   ? TokenKind::kSemicolon
                             : c == '{' ? TokenKind::kOpen
                                        : TokenKind::kClose;
      return Token{kind, std::string(1, c), line_};
    }
    if (c == '"' || c == '\'') return Quoted(c);
    return Word();
  }

  Error Bad(int line, const std::string& what) const {
    return Error{ErrorCode::kInvalidArgument, "nginx config " + std::string(file_) + " line " +
                                                  std::to_string(line) + ": " + what};
  }

 private:
  void SkipBlanksAndComments() {
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == '\n') ++line_;
      if (IsBlank(c)) {
        ++pos_;
      } else if (c == '#') {
        while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
      } else {
        return;
      }
    }
  }

  Result<Token> Quoted(char quote) {
    const int start_line = line_;
    const size_t start = ++pos_;
    while (pos_ < text_.size() && text_[pos_] != quote) {
      if (text_[pos_] == '\n') ++line_;
      if (text_[pos_] == '\\' && pos_ + 1 < text_.size()) {
        if (text_[pos_ + 1] == '\n') ++line_;
        ++pos_;
      }
      ++pos_;
    }
    if (pos_ >= text_.size()) return Fail(Bad(start_line, "unterminated quoted string"));
    std::string word = Unescape(text_.substr(start, pos_ - start));
    ++pos_;  // the closing quote
    if (pos_ < text_.size() && !IsBlank(text_[pos_]) && text_[pos_] != ';' && text_[pos_] != '{' &&
        text_[pos_] != '}') {
      return Fail(
          Bad(line_, std::string("unexpected \"") + text_[pos_] + "\" after a quoted string"));
    }
    return Token{TokenKind::kWord, std::move(word), start_line};
  }

  Result<Token> Word() {
    const int start_line = line_;
    const size_t start = pos_;
    bool variable = false;
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == '{' && variable) {
        variable = false;
        ++pos_;
        continue;
      }
      variable = c == '$';
      if (c == '\\' && pos_ + 1 < text_.size()) {
        if (text_[pos_ + 1] == '\n') ++line_;
        pos_ += 2;
        continue;
      }
      if (IsBlank(c) || c == ';' || c == '{') break;
      ++pos_;
    }
    return Token{TokenKind::kWord, Unescape(text_.substr(start, pos_ - start)), start_line};
  }

  std::string_view text_;
  std::string_view file_;
  size_t pos_ = 0;
  int line_ = 1;
};

class Parser {
 public:
  Parser(std::string_view text, std::string_view file) : tokens_(text, file), file_(file) {}

  // Directives until "}" (inside a block, depth > 0) or the end of the text (depth 0).
  Result<std::vector<NginxDirective>> Block(int depth) {
    if (depth > kMaxNginxDepth) {
      return Fail(tokens_.Bad(
          last_line_, "blocks nested deeper than " + std::to_string(kMaxNginxDepth) + " levels"));
    }
    std::vector<NginxDirective> out;
    for (;;) {
      auto token = tokens_.Next();
      if (!token) return Fail(token.error());
      last_line_ = token->line;
      switch (token->kind) {
        case TokenKind::kEnd:
          if (depth > 0)
            return Fail(tokens_.Bad(token->line, "unexpected end of file, expecting \"}\""));
          return out;
        case TokenKind::kClose:
          if (depth == 0) return Fail(tokens_.Bad(token->line, "unexpected \"}\""));
          return out;
        case TokenKind::kSemicolon:
        case TokenKind::kOpen:
          return Fail(tokens_.Bad(token->line, "unexpected \"" + token->text + "\""));
        case TokenKind::kWord: {
          auto directive = Directive(std::move(*token), depth);
          if (!directive) return Fail(directive.error());
          out.push_back(std::move(*directive));
        }
      }
    }
  }

 private:
  // The rest of a directive whose name is `name`: arguments, then ";" or a block.
  Result<NginxDirective> Directive(Token name, int depth) {
    NginxDirective d{std::move(name.text), {}, std::string(file_), name.line, false, {}};
    for (;;) {
      auto token = tokens_.Next();
      if (!token) return Fail(token.error());
      last_line_ = token->line;
      switch (token->kind) {
        case TokenKind::kWord:
          d.args.push_back(std::move(token->text));
          break;
        case TokenKind::kSemicolon:
          return d;
        case TokenKind::kOpen: {
          auto children = Block(depth + 1);
          if (!children) return Fail(children.error());
          d.block = true;
          d.children = std::move(*children);
          return d;
        }
        case TokenKind::kClose:
          return Fail(tokens_.Bad(token->line, "unexpected \"}\" in \"" + d.name + "\""));
        case TokenKind::kEnd:
          return Fail(tokens_.Bad(token->line, "unexpected end of file in \"" + d.name +
                                                   "\", expecting \";\" or \"}\""));
      }
    }
  }

  Tokenizer tokens_;
  std::string_view file_;
  int last_line_ = 1;
};

}  // namespace

Result<std::vector<NginxDirective>> ParseNginxConfig(std::string_view text, std::string_view file) {
  return Parser(text, file).Block(0);
}

}  // namespace certfleet::agent::discovery
