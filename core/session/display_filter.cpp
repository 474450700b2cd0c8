// SPDX-License-Identifier: GPL-3.0-or-later
#include "session/display_filter.h"

#include "protocol/wait_status.h"

#include <cctype>
#include <charconv>
#include <optional>
#include <regex>
#include <vector>

namespace procscope::session {

namespace {

enum class Field { Type, Pid, Tgid, Ppid, Cpu, Ts, Comm, Exe, Cwd, Argv, ExitCode, Signal, CoreDumped, Uid, Euid, Gid, Egid };
enum class Scope { Self, Parent, Ancestor };
enum class Op { Eq, Ne, Lt, Le, Gt, Ge, Matches, Contains, Present };

struct FieldInfo {
    std::string_view name;
    Field field;
    bool text;
};
constexpr FieldInfo kFields[] = {
    { "type", Field::Type, true }, { "event", Field::Type, true }, { "pid", Field::Pid, false }, { "tgid", Field::Tgid, false },
    { "ppid", Field::Ppid, false }, { "cpu", Field::Cpu, false }, { "ts", Field::Ts, false }, { "comm", Field::Comm, true },
    { "exe", Field::Exe, true }, { "cwd", Field::Cwd, true }, { "argv", Field::Argv, true }, { "exit_code", Field::ExitCode, false },
    { "signal", Field::Signal, false }, { "core_dumped", Field::CoreDumped, false }, { "uid", Field::Uid, false },
    { "euid", Field::Euid, false }, { "gid", Field::Gid, false }, { "egid", Field::Egid, false },
};

} // namespace

struct DisplayFilter::Node {
    enum class Kind { And, Or, Not, Compare, DescendantOf } kind = Kind::Compare;
    std::vector<std::unique_ptr<Node>> children;
    // Compare
    Scope scope = Scope::Self;
    Field field = Field::Pid;
    Op op = Op::Present;
    std::int64_t number = 0;
    std::string text;
    std::optional<std::regex> regex;
    // DescendantOf: the ancestor's pid in `number`
};

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
                while (m_at < m_input.size() && std::isalnum(static_cast<unsigned char>(m_input[m_at])))
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
        if (token.text == "parent" || token.text == "ancestor") {
            if (peek().kind != Token::Kind::Dot)
                return fail(peek(), "expected '.' and a field after '" + token.text + "'");
            take();
            fieldToken = &peek();
            if (fieldToken->kind != Token::Kind::Ident)
                return fail(*fieldToken, "expected a field after '" + token.text + ".'");
            take();
            node->scope = token.text == "parent" ? Scope::Parent : Scope::Ancestor;
            fieldName = fieldToken->text;
        }
        const FieldInfo* info = nullptr;
        for (const FieldInfo& candidate : kFields) {
            if (candidate.name == fieldName)
                info = &candidate;
        }
        if (!info)
            return fail(*fieldToken, "unknown field '" + std::string(fieldName) + "'");
        node->field = info->field;
        if (peek().kind != Token::Kind::Op)
            return node; // a bare field: true where it is present and non-zero
        const Token& op = take();
        node->op = op.text == "==" ? Op::Eq : op.text == "!=" ? Op::Ne : op.text == "<" ? Op::Lt : op.text == "<=" ? Op::Le
            : op.text == ">" ? Op::Gt : op.text == ">=" ? Op::Ge : op.text == "~" ? Op::Matches : Op::Contains;
        const Token& value = peek();
        if (value.kind != Token::Kind::Number && value.kind != Token::Kind::String && value.kind != Token::Kind::Ident)
            return fail(value, "expected a value after '" + op.text + "'");
        take();
        if (node->op == Op::Matches || node->op == Op::Contains) {
            if (!info->text)
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
        if (info->text) {
            node->text = value.text;
            if (node->op != Op::Eq && node->op != Op::Ne)
                return fail(op, "text can only be compared with ==, !=, ~ or contains");
            if (info->field == Field::Type && !isEventKind(value.text))
                return fail(value, "unknown event type '" + value.text + "'");
            return node;
        }
        if (info->field == Field::Signal && value.kind == Token::Kind::Ident) {
            const int signal = protocol::signalFromName(value.text);
            if (signal < 0)
                return fail(value, "unknown signal '" + value.text + "'");
            node->number = signal;
            return node;
        }
        const auto [end, ec] = std::from_chars(value.text.data(), value.text.data() + value.text.size(), node->number);
        if (value.kind != Token::Kind::Number || ec != std::errc {} || end != value.text.data() + value.text.size())
            return fail(value, std::string(fieldName) + " is a number, not '" + value.text + "'");
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

using Value = std::variant<std::monostate, std::int64_t, std::string_view>;

const ExecInfo* lastExec(const ProcessNode& node)
{
    return node.execs.empty() ? nullptr : &node.execs.back();
}

// The field's value for an event row (about its process), or monostate where it has none.
Value fieldOf(const Session& session, const StoredEvent& row, NodeId nodeId, Field field, bool rowFields)
{
    const ProcessNode* node = nodeId == kNoNode ? nullptr : &session.lineage().node(nodeId);
    const StringPool& strings = session.strings();
    if (rowFields) {
        switch (field) {
        case Field::Type: return std::string_view(eventKindName(row.kind));
        case Field::Cpu: return std::int64_t(row.cpu);
        case Field::Ts: return std::int64_t(row.timestampNs);
        case Field::Pid:
            if (row.kind != EventKind::Loss && row.kind != EventKind::Unknown)
                return std::int64_t(row.pid);
            break;
        case Field::Tgid:
            if (row.kind != EventKind::Loss && row.kind != EventKind::Unknown)
                return std::int64_t(row.tgid);
            break;
        case Field::Comm:
            if (row.kind == EventKind::Comm)
                return strings.view(row.a);
            break;
        case Field::ExitCode:
        case Field::Signal:
        case Field::CoreDumped: {
            if (row.kind != EventKind::Exit)
                return {};
            const auto status = protocol::decodeWaitStatus(row.a);
            if (field == Field::CoreDumped)
                return std::int64_t(status.coreDumped);
            if (field == Field::ExitCode)
                return status.kind == protocol::WaitStatus::Kind::Exited ? Value(std::int64_t(status.code)) : Value();
            return status.kind == protocol::WaitStatus::Kind::Killed ? Value(std::int64_t(status.signal)) : Value();
        }
        case Field::Uid:
        case Field::Euid:
            if (row.kind == EventKind::Uid)
                return std::int64_t(field == Field::Uid ? row.a : row.b);
            break;
        case Field::Gid:
        case Field::Egid:
            if (row.kind == EventKind::Gid)
                return std::int64_t(field == Field::Gid ? row.a : row.b);
            break;
        default:
            break;
        }
    }
    if (!node)
        return {};
    switch (field) {
    case Field::Pid:
    case Field::Tgid: return std::int64_t(node->pid);
    case Field::Ppid: return node->parentPid ? Value(std::int64_t(node->parentPid)) : Value();
    case Field::Comm: return strings.view(node->name());
    case Field::Exe: return lastExec(*node) && lastExec(*node)->exe ? Value(strings.view(lastExec(*node)->exe)) : Value();
    case Field::Cwd: return lastExec(*node) && lastExec(*node)->cwd ? Value(strings.view(lastExec(*node)->cwd)) : Value();
    case Field::Argv: return lastExec(*node) && lastExec(*node)->argc ? Value(strings.view(lastExec(*node)->argv)) : Value();
    case Field::Uid: return node->idsKnown ? Value(std::int64_t(node->ruid)) : Value();
    case Field::Euid: return node->idsKnown ? Value(std::int64_t(node->euid)) : Value();
    case Field::Gid: return node->idsKnown ? Value(std::int64_t(node->rgid)) : Value();
    case Field::Egid: return node->idsKnown ? Value(std::int64_t(node->egid)) : Value();
    default: return {};
    }
}

bool compare(const Node& node, const Value& value)
{
    if (std::holds_alternative<std::monostate>(value))
        return false; // an absent field matches nothing, not even !=
    if (node.op == Op::Present)
        return std::holds_alternative<std::string_view>(value) ? !std::get<std::string_view>(value).empty() : std::get<std::int64_t>(value) != 0;
    if (const auto* text = std::get_if<std::string_view>(&value)) {
        // argv is the arguments joined with NUL: ==, contains and ~ hold when one argument does.
        const auto eachPart = [&](auto&& test) {
            if (node.field != Field::Argv)
                return test(*text);
            std::string_view rest = *text;
            while (true) {
                const std::size_t nul = rest.find('\0');
                if (test(rest.substr(0, nul)))
                    return true;
                if (nul == std::string_view::npos)
                    return false;
                rest.remove_prefix(nul + 1);
            }
        };
        switch (node.op) {
        case Op::Eq: return eachPart([&](std::string_view s) { return s == node.text; });
        case Op::Ne: return !eachPart([&](std::string_view s) { return s == node.text; });
        case Op::Contains: return eachPart([&](std::string_view s) { return s.find(node.text) != std::string_view::npos; });
        case Op::Matches: return eachPart([&](std::string_view s) { return std::regex_search(s.begin(), s.end(), *node.regex); });
        default: return false;
        }
    }
    const std::int64_t number = std::get<std::int64_t>(value);
    switch (node.op) {
    case Op::Eq: return number == node.number;
    case Op::Ne: return number != node.number;
    case Op::Lt: return number < node.number;
    case Op::Le: return number <= node.number;
    case Op::Gt: return number > node.number;
    case Op::Ge: return number >= node.number;
    default: return false;
    }
}

bool evaluate(const Node& node, const Session& session, const StoredEvent& row)
{
    const Lineage& lineage = session.lineage();
    switch (node.kind) {
    case Node::Kind::And: return evaluate(*node.children[0], session, row) && evaluate(*node.children[1], session, row);
    case Node::Kind::Or: return evaluate(*node.children[0], session, row) || evaluate(*node.children[1], session, row);
    case Node::Kind::Not: return !evaluate(*node.children[0], session, row);
    case Node::Kind::DescendantOf:
        for (NodeId at = row.node == kNoNode ? kNoNode : lineage.node(row.node).parent; at != kNoNode; at = lineage.node(at).parent) {
            if (lineage.node(at).pid == std::uint64_t(node.number))
                return true;
        }
        return false;
    case Node::Kind::Compare:
        if (node.scope == Scope::Self)
            return compare(node, fieldOf(session, row, row.node, node.field, true));
        for (NodeId at = row.node == kNoNode ? kNoNode : lineage.node(row.node).parent; at != kNoNode; at = lineage.node(at).parent) {
            if (compare(node, fieldOf(session, row, at, node.field, false)))
                return true;
            if (node.scope == Scope::Parent)
                break;
        }
        return false;
    }
    return false;
}

} // namespace

std::variant<DisplayFilter, FilterError> DisplayFilter::compile(std::string_view expression)
{
    DisplayFilter filter;
    if (expression.find_first_not_of(" \t\r\n") == std::string_view::npos)
        return filter;
    auto tokens = Lexer(expression).run();
    if (auto* error = std::get_if<FilterError>(&tokens))
        return *error;
    Parser parser(std::move(std::get<std::vector<Token>>(tokens)));
    filter.m_root = parser.parse();
    if (!filter.m_root)
        return *parser.error();
    return filter;
}

bool DisplayFilter::matches(const Session& session, std::size_t row) const
{
    return !m_root || evaluate(*m_root, session, session.events()[row]);
}

DisplayFilter::DisplayFilter(DisplayFilter&&) noexcept = default;
DisplayFilter& DisplayFilter::operator=(DisplayFilter&&) noexcept = default;
DisplayFilter::~DisplayFilter() = default;

} // namespace procscope::session
