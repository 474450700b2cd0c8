// SPDX-License-Identifier: GPL-3.0-or-later
// The display filter's lexer and recursive-descent parser (grammar in FILTERS.md).

#include "session/filter_ast.h"

#include "protocol/wait_status.h"

#include <cctype>
#include <charconv>

namespace procscope::session::filter {

namespace {

using Node = DisplayFilter::Node;

struct Token {
    enum class Kind { End, Ident, Number, String, LParen, RParen, Dot, Op, And, Or, Not, Comma } kind = Kind::End;
    std::string text;
    std::size_t column = 1;
};

class Lexer {
public:
    explicit Lexer(std::string_view input)
        : m_input(input)
    {
    }

    std::variant<std::vector<Token>, FilterError> run()
    {
        std::vector<Token> tokens;
        while (true) {
            while (m_at < m_input.size() && std::isspace(static_cast<unsigned char>(m_input[m_at])))
                ++m_at;
            Token token;
            token.column = m_at + 1;
            if (m_at >= m_input.size()) {
                tokens.push_back(token);
                return tokens;
            }
            const char c = m_input[m_at];
            const auto two = m_input.substr(m_at, 2);
            if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
                const std::size_t start = m_at;
                while (m_at < m_input.size() && (std::isalnum(static_cast<unsigned char>(m_input[m_at])) || m_input[m_at] == '_' || m_input[m_at] == '-'))
                    ++m_at;
                token.text = m_input.substr(start, m_at - start);
                token.kind = token.text == "and" ? Token::Kind::And
                    : token.text == "or"         ? Token::Kind::Or
                    : token.text == "not"        ? Token::Kind::Not
                    : token.text == "contains"   ? Token::Kind::Op
                                                 : Token::Kind::Ident;
            } else if (std::isdigit(static_cast<unsigned char>(c)) || (c == '-' && m_at + 1 < m_input.size() && std::isdigit(static_cast<unsigned char>(m_input[m_at + 1])))) {
                const std::size_t start = m_at++;
                // Letters are a unit ("1.5s", "100MiB"); a point is a decimal one when a digit follows.
                while (m_at < m_input.size()
                    && (std::isalnum(static_cast<unsigned char>(m_input[m_at]))
                        || (m_input[m_at] == '.' && m_at + 1 < m_input.size() && std::isdigit(static_cast<unsigned char>(m_input[m_at + 1])))))
                    ++m_at;
                token.kind = Token::Kind::Number;
                token.text = m_input.substr(start, m_at - start);
            } else if (c == '"') {
                ++m_at;
                while (true) {
                    if (m_at >= m_input.size())
                        return FilterError { token.column, "unterminated string" };
                    const char s = m_input[m_at++];
                    if (s == '"')
                        break;
                    if (s == '\\' && m_at < m_input.size())
                        token.text += m_input[m_at++];
                    else
                        token.text += s;
                }
                token.kind = Token::Kind::String;
            } else if (two == "==" || two == "!=" || two == "<=" || two == ">=") {
                token = { Token::Kind::Op, std::string(two), token.column };
                m_at += 2;
            } else if (two == "&&" || two == "||") {
                token = { two == "&&" ? Token::Kind::And : Token::Kind::Or, std::string(two), token.column };
                m_at += 2;
            } else if (c == '<' || c == '>' || c == '~') {
                token = { Token::Kind::Op, std::string(1, c), token.column };
                ++m_at;
            } else if (c == '!' || c == '(' || c == ')' || c == '.' || c == ',') {
                token.kind = c == '!' ? Token::Kind::Not
                    : c == '('        ? Token::Kind::LParen
                    : c == ')'        ? Token::Kind::RParen
                    : c == '.'        ? Token::Kind::Dot
                                      : Token::Kind::Comma;
                token.text = std::string(1, c);
                ++m_at;
            } else {
                return FilterError { token.column, "unexpected character '" + std::string(1, c) + "'" };
            }
            tokens.push_back(std::move(token));
        }
    }

private:
    std::string_view m_input;
    std::size_t m_at = 0;
};

class Parser {
public:
    explicit Parser(std::vector<Token> tokens)
        : m_tokens(std::move(tokens))
    {
    }

    std::unique_ptr<Node> parse()
    {
        auto root = parseOr();
        if (root && peek().kind != Token::Kind::End)
            fail(peek(), "unexpected '" + peek().text + "' after a complete expression");
        return m_error ? nullptr : std::move(root);
    }
    const std::optional<FilterError>& error() const { return m_error; }

private:
    const Token& peek() const { return m_tokens[m_at]; }
    const Token& take() { return m_tokens[m_at < m_tokens.size() - 1 ? m_at++ : m_at]; }
    std::nullptr_t fail(const Token& at, std::string message)
    {
        if (!m_error)
            m_error = FilterError { at.column, std::move(message) };
        return nullptr;
    }

    std::unique_ptr<Node> combine(Node::Kind kind, Token::Kind separator, std::unique_ptr<Node> (Parser::*next)())
    {
        auto left = (this->*next)();
        while (left && peek().kind == separator) {
            take();
            auto right = (this->*next)();
            if (!right)
                return nullptr;
            auto node = std::make_unique<Node>();
            node->kind = kind;
            node->children.push_back(std::move(left));
            node->children.push_back(std::move(right));
            left = std::move(node);
        }
        return left;
    }
    std::unique_ptr<Node> parseOr() { return combine(Node::Kind::Or, Token::Kind::Or, &Parser::parseAnd); }
    std::unique_ptr<Node> parseAnd() { return combine(Node::Kind::And, Token::Kind::And, &Parser::parseNot); }

    std::unique_ptr<Node> parseNot()
    {
        if (peek().kind != Token::Kind::Not)
            return parsePrimary();
        take();
        auto operand = parseNot();
        if (!operand)
            return nullptr;
        auto node = std::make_unique<Node>();
        node->kind = Node::Kind::Not;
        node->children.push_back(std::move(operand));
        return node;
    }

    std::unique_ptr<Node> parsePrimary()
    {
        const Token& token = peek();
        if (token.kind == Token::Kind::LParen) {
            take();
            auto inner = parseOr();
            if (!inner)
                return nullptr;
            if (peek().kind != Token::Kind::RParen)
                return fail(peek(), "expected ')' to close the '(' at column " + std::to_string(token.column));
            take();
            return inner;
        }
        if (token.kind != Token::Kind::Ident)
            return fail(token, token.kind == Token::Kind::End ? "expected a field or '(' at the end" : "expected a field, not '" + token.text + "'");
        take();
        if (peek().kind == Token::Kind::LParen)
            return parseCall(token);
        auto node = std::make_unique<Node>();
        std::string_view fieldName = token.text;
        const Token* fieldToken = &token;
        const bool tree = token.text == "tree";
        if (token.text == "parent" || token.text == "ancestor" || tree) {
            if (peek().kind != Token::Kind::Dot)
                return fail(peek(), "expected '.' and a field after '" + token.text + "'");
            take();
            fieldToken = &peek();
            if (fieldToken->kind != Token::Kind::Ident)
                return fail(*fieldToken, "expected a field after '" + token.text + ".'");
            take();
            if (!tree)
                node->scope = token.text == "parent" ? Scope::Parent : Scope::Ancestor;
            fieldName = fieldToken->text;
        }
        if (tree) {
            node->subtree = findSubtreeField(fieldName);
            if (!node->subtree)
                return fail(*fieldToken, "no total with descendants for '" + std::string(fieldName) + "' (known: cpu_time, max_rss, read_bytes, write_bytes)");
        } else if (!(node->field = findEventField(fieldName)) && !(node->cost = findCostField(fieldName))) {
            return fail(*fieldToken, "unknown field '" + std::string(fieldName) + "'");
        }
        if (peek().kind != Token::Kind::Op)
            return node; // a bare field: true where it is present and non-zero
        const Token& op = take();
        node->op = op.text == "==" ? Op::Eq : op.text == "!=" ? Op::Ne : op.text == "<" ? Op::Lt : op.text == "<=" ? Op::Le
            : op.text == ">" ? Op::Gt : op.text == ">=" ? Op::Ge : op.text == "~" ? Op::Matches : Op::Contains;
        const Token& value = peek();
        if (value.kind != Token::Kind::Number && value.kind != Token::Kind::String && value.kind != Token::Kind::Ident)
            return fail(value, "expected a value after '" + op.text + "'");
        take();
        const FieldKind kind = node->field ? node->field->kind : FieldKind::Number;
        const bool text = kind == FieldKind::Text || kind == FieldKind::EventType || kind == FieldKind::Arguments;
        if (node->op == Op::Matches || node->op == Op::Contains) {
            if (!text)
                return fail(op, "'" + op.text + "' compares text, and " + std::string(fieldName) + " is a number");
            node->text = value.text;
            if (node->op == Op::Matches) {
                try {
                    node->regex.emplace(value.text, std::regex::ECMAScript | std::regex::optimize);
                } catch (const std::regex_error& e) {
                    return fail(value, std::string("invalid regular expression: ") + e.what());
                }
            }
            return node;
        }
        if (text) {
            node->text = value.text;
            if (node->op != Op::Eq && node->op != Op::Ne)
                return fail(op, "text can only be compared with ==, !=, ~ or contains");
            if (kind == FieldKind::EventType && !isEventKind(value.text))
                return fail(value, "unknown event type '" + value.text + "'");
            return node;
        }
        if (kind == FieldKind::Signal && value.kind == Token::Kind::Ident) {
            const int signal = protocol::signalFromName(value.text);
            if (signal < 0)
                return fail(value, "unknown signal '" + value.text + "'");
            node->number = signal;
            return node;
        }
        if (kind == FieldKind::Flag && value.kind == Token::Kind::Ident && (value.text == "true" || value.text == "false")) {
            node->number = value.text == "true"; // as exports write flags
            return node;
        }
        if (node->cost || node->subtree || kind == FieldKind::Duration) {
            const CostUnit unit = node->cost ? node->cost->unit : node->subtree ? node->subtree->unit : CostUnit::Nanoseconds;
            const auto quantity = value.kind == Token::Kind::Number ? parseQuantity(value.text, unit) : std::nullopt;
            if (!quantity)
                return fail(value, std::string(fieldName) + (unit == CostUnit::Nanoseconds ? " is a time such as 1.5s, 200ms or 40us (a bare number is nanoseconds), not '"
                    : unit == CostUnit::Bytes ? " is a size such as 100MiB, 4KiB or 2G (a bare number is bytes), not '" : " is a number, not '") + value.text + "'");
            node->number = *quantity;
            return node;
        }
        const auto [end, ec] = std::from_chars(value.text.data(), value.text.data() + value.text.size(), node->number);
        if (value.kind != Token::Kind::Number || ec != std::errc {} || end != value.text.data() + value.text.size())
            return fail(value, std::string(fieldName) + (kind == FieldKind::Flag ? " is true or false (or 1 or 0), not '" : " is a number, not '") + value.text + "'");
        return node;
    }

    std::unique_ptr<Node> parseCall(const Token& name)
    {
        if (name.text != "descendant_of")
            return fail(name, "unknown function '" + name.text + "' (known: descendant_of)");
        take(); // (
        const Token& argument = peek();
        auto node = std::make_unique<Node>();
        node->kind = Node::Kind::DescendantOf;
        const auto [end, ec] = std::from_chars(argument.text.data(), argument.text.data() + argument.text.size(), node->number);
        if (argument.kind != Token::Kind::Number || ec != std::errc {} || end != argument.text.data() + argument.text.size())
            return fail(argument, "descendant_of needs a process id");
        take();
        if (peek().kind != Token::Kind::RParen)
            return fail(peek(), "expected ')' after the process id");
        take();
        return node;
    }

    static bool isEventKind(std::string_view name)
    {
        for (std::size_t k = 0; k < kEventKindCount; ++k) {
            if (name == eventKindName(static_cast<EventKind>(k)))
                return true;
        }
        return false;
    }

    std::vector<Token> m_tokens;
    std::size_t m_at = 0;
    std::optional<FilterError> m_error;
};

} // namespace

std::variant<std::unique_ptr<Node>, FilterError> parse(std::string_view expression)
{
    auto tokens = Lexer(expression).run();
    if (auto* error = std::get_if<FilterError>(&tokens))
        return *error;
    Parser parser(std::move(std::get<std::vector<Token>>(tokens)));
    auto root = parser.parse();
    if (!root)
        return *parser.error();
    return root;
}

} // namespace procscope::session::filter
